set terminal pngcairo size 900,560 noenhanced
set output 'ebusy.png'
set title 'spurious -EBUSY before the first run'
set logscale x 2
set xlabel 'contending vCPU threads'
set ylabel 'EBUSY / accesses'
set yrange [0:1]
set key outside right
set grid
plot 'ebusy_baseline_v2-CPU.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline v2-CPU', \
     'ebusy_baseline_v2-DIST.dat' using 1:2 with linespoints lc 2 dt 2 pt 6 title 'baseline v2-DIST', \
     'ebusy_patched_v2-CPU.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched v2-CPU', \
     'ebusy_patched_v2-DIST.dat' using 1:2 with linespoints lc 2 dt 1 pt 7 title 'patched v2-DIST'
