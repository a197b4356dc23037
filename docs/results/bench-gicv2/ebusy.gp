set terminal pngcairo size 900,560 noenhanced
set output 'ebusy.png'
set title '-EBUSY rate under busy vCPU threads'
set xlabel 'contending vCPU threads'
set ylabel 'EBUSY / operations'
set logscale x 2
set yrange [0:1]
set grid
set key outside right
plot 'ebusy_baseline_COUNTER_OFFSET_postrun.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline COUNTER_OFFSET postrun', \
     'ebusy_baseline_COUNTER_OFFSET_prerun.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline COUNTER_OFFSET prerun', \
     'ebusy_baseline_CREATE_DEVICE-v2_prerun.dat' using 1:2 with linespoints lc 2 dt 2 pt 6 title 'baseline CREATE_DEVICE-v2 prerun', \
     'ebusy_baseline_v2-CPU_postrun.dat' using 1:2 with linespoints lc 3 dt 2 pt 6 title 'baseline v2-CPU postrun', \
     'ebusy_baseline_v2-CPU_prerun.dat' using 1:2 with linespoints lc 3 dt 2 pt 6 title 'baseline v2-CPU prerun', \
     'ebusy_baseline_v2-DIST_postrun.dat' using 1:2 with linespoints lc 4 dt 2 pt 6 title 'baseline v2-DIST postrun', \
     'ebusy_baseline_v2-DIST_prerun.dat' using 1:2 with linespoints lc 4 dt 2 pt 6 title 'baseline v2-DIST prerun', \
     'ebusy_patched_COUNTER_OFFSET_postrun.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched COUNTER_OFFSET postrun', \
     'ebusy_patched_COUNTER_OFFSET_prerun.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched COUNTER_OFFSET prerun', \
     'ebusy_patched_CREATE_DEVICE-v2_prerun.dat' using 1:2 with linespoints lc 2 dt 1 pt 7 title 'patched CREATE_DEVICE-v2 prerun', \
     'ebusy_patched_v2-CPU_postrun.dat' using 1:2 with linespoints lc 3 dt 1 pt 7 title 'patched v2-CPU postrun', \
     'ebusy_patched_v2-CPU_prerun.dat' using 1:2 with linespoints lc 3 dt 1 pt 7 title 'patched v2-CPU prerun', \
     'ebusy_patched_v2-DIST_postrun.dat' using 1:2 with linespoints lc 4 dt 1 pt 7 title 'patched v2-DIST postrun', \
     'ebusy_patched_v2-DIST_prerun.dat' using 1:2 with linespoints lc 4 dt 1 pt 7 title 'patched v2-DIST prerun'
