set terminal pngcairo size 900,560 noenhanced
set output 'ebusy.png'
set title 'spurious -EBUSY before the first run'
set logscale x 2
set xlabel 'contending vCPU threads'
set ylabel 'EBUSY / accesses'
set yrange [0:1]
set key outside right
set grid
plot 'ebusy_baseline_v3-CPU_SYSREGS.dat' using 1:2 with linespoints lc 4 dt 2 pt 6 title 'baseline v3-CPU_SYSREGS', \
     'ebusy_baseline_v3-DIST.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline v3-DIST', \
     'ebusy_baseline_v3-DIST-IIDR-preinit.dat' using 1:2 with linespoints lc 2 dt 2 pt 6 title 'baseline v3-DIST-IIDR-preinit', \
     'ebusy_baseline_v3-LEVEL_INFO.dat' using 1:2 with linespoints lc 5 dt 2 pt 6 title 'baseline v3-LEVEL_INFO', \
     'ebusy_baseline_v3-REDIST.dat' using 1:2 with linespoints lc 3 dt 2 pt 6 title 'baseline v3-REDIST', \
     'ebusy_baseline_ITS_REGS.dat' using 1:2 with linespoints lc 6 dt 2 pt 6 title 'baseline ITS_REGS', \
     'ebusy_patched_v3-CPU_SYSREGS.dat' using 1:2 with linespoints lc 4 dt 1 pt 7 title 'patched v3-CPU_SYSREGS', \
     'ebusy_patched_v3-DIST.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched v3-DIST', \
     'ebusy_patched_v3-DIST-IIDR-preinit.dat' using 1:2 with linespoints lc 2 dt 1 pt 7 title 'patched v3-DIST-IIDR-preinit', \
     'ebusy_patched_v3-LEVEL_INFO.dat' using 1:2 with linespoints lc 5 dt 1 pt 7 title 'patched v3-LEVEL_INFO', \
     'ebusy_patched_v3-REDIST.dat' using 1:2 with linespoints lc 3 dt 1 pt 7 title 'patched v3-REDIST', \
     'ebusy_patched_ITS_REGS.dat' using 1:2 with linespoints lc 6 dt 1 pt 7 title 'patched ITS_REGS'
