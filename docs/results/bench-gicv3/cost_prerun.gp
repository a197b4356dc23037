set terminal pngcairo size 900,560 noenhanced
set output 'cost_prerun.png'
set title 'access cost prerun (median)'
set xlabel 'vCPUs'
set ylabel 'us per access'
set logscale xy
set grid
set key outside right
plot 'cost_prerun_baseline_v3-DIST.dat' using 1:($2/1000) with linespoints lc 1 dt 2 pt 6 title 'baseline v3-DIST', \
     'cost_prerun_baseline_v3-DIST-IIDR-preinit.dat' using 1:($2/1000) with linespoints lc 2 dt 2 pt 6 title 'baseline v3-DIST-IIDR-preinit', \
     'cost_prerun_baseline_v3-REDIST.dat' using 1:($2/1000) with linespoints lc 3 dt 2 pt 6 title 'baseline v3-REDIST', \
     'cost_prerun_patched_v3-DIST.dat' using 1:($2/1000) with linespoints lc 1 dt 1 pt 7 title 'patched v3-DIST', \
     'cost_prerun_patched_v3-DIST-IIDR-preinit.dat' using 1:($2/1000) with linespoints lc 2 dt 1 pt 7 title 'patched v3-DIST-IIDR-preinit', \
     'cost_prerun_patched_v3-REDIST.dat' using 1:($2/1000) with linespoints lc 3 dt 1 pt 7 title 'patched v3-REDIST'
