set terminal pngcairo size 900,560 noenhanced
set output 'ebusy.png'
set title '-EBUSY rate under busy vCPU threads'
set xlabel 'contending vCPU threads'
set ylabel 'EBUSY / operations'
set logscale x 2
set yrange [0:1]
set grid
set key outside right
plot 'ebusy_baseline_ITS_REGS_postrun.dat' using 1:2 with linespoints lc 5 dt 2 pt 6 title 'baseline ITS_REGS postrun', \
     'ebusy_baseline_ITS_REGS_prerun.dat' using 1:2 with linespoints lc 5 dt 2 pt 6 title 'baseline ITS_REGS prerun', \
     'ebusy_baseline_v3-CPU_SYSREGS_postrun.dat' using 1:2 with linespoints lc 4 dt 2 pt 6 title 'baseline v3-CPU_SYSREGS postrun', \
     'ebusy_baseline_v3-CPU_SYSREGS_prerun.dat' using 1:2 with linespoints lc 4 dt 2 pt 6 title 'baseline v3-CPU_SYSREGS prerun', \
     'ebusy_baseline_v3-DIST_postrun.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline v3-DIST postrun', \
     'ebusy_baseline_v3-DIST_prerun.dat' using 1:2 with linespoints lc 1 dt 2 pt 6 title 'baseline v3-DIST prerun', \
     'ebusy_baseline_v3-DIST-IIDR_prerun.dat' using 1:2 with linespoints lc 6 dt 2 pt 6 title 'baseline v3-DIST-IIDR prerun', \
     'ebusy_baseline_v3-LEVEL_INFO_postrun.dat' using 1:2 with linespoints lc 7 dt 2 pt 6 title 'baseline v3-LEVEL_INFO postrun', \
     'ebusy_baseline_v3-LEVEL_INFO_prerun.dat' using 1:2 with linespoints lc 7 dt 2 pt 6 title 'baseline v3-LEVEL_INFO prerun', \
     'ebusy_baseline_v3-REDIST_postrun.dat' using 1:2 with linespoints lc 3 dt 2 pt 6 title 'baseline v3-REDIST postrun', \
     'ebusy_baseline_v3-REDIST_prerun.dat' using 1:2 with linespoints lc 3 dt 2 pt 6 title 'baseline v3-REDIST prerun', \
     'ebusy_baseline_COUNTER_OFFSET_postrun.dat' using 1:2 with linespoints lc 8 dt 2 pt 6 title 'baseline COUNTER_OFFSET postrun', \
     'ebusy_baseline_COUNTER_OFFSET_prerun.dat' using 1:2 with linespoints lc 8 dt 2 pt 6 title 'baseline COUNTER_OFFSET prerun', \
     'ebusy_baseline_CREATE_DEVICE-v3_prerun.dat' using 1:2 with linespoints lc 9 dt 2 pt 6 title 'baseline CREATE_DEVICE-v3 prerun', \
     'ebusy_patched_ITS_REGS_postrun.dat' using 1:2 with linespoints lc 5 dt 1 pt 7 title 'patched ITS_REGS postrun', \
     'ebusy_patched_ITS_REGS_prerun.dat' using 1:2 with linespoints lc 5 dt 1 pt 7 title 'patched ITS_REGS prerun', \
     'ebusy_patched_v3-CPU_SYSREGS_postrun.dat' using 1:2 with linespoints lc 4 dt 1 pt 7 title 'patched v3-CPU_SYSREGS postrun', \
     'ebusy_patched_v3-CPU_SYSREGS_prerun.dat' using 1:2 with linespoints lc 4 dt 1 pt 7 title 'patched v3-CPU_SYSREGS prerun', \
     'ebusy_patched_v3-DIST_postrun.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched v3-DIST postrun', \
     'ebusy_patched_v3-DIST_prerun.dat' using 1:2 with linespoints lc 1 dt 1 pt 7 title 'patched v3-DIST prerun', \
     'ebusy_patched_v3-DIST-IIDR_prerun.dat' using 1:2 with linespoints lc 6 dt 1 pt 7 title 'patched v3-DIST-IIDR prerun', \
     'ebusy_patched_v3-LEVEL_INFO_postrun.dat' using 1:2 with linespoints lc 7 dt 1 pt 7 title 'patched v3-LEVEL_INFO postrun', \
     'ebusy_patched_v3-LEVEL_INFO_prerun.dat' using 1:2 with linespoints lc 7 dt 1 pt 7 title 'patched v3-LEVEL_INFO prerun', \
     'ebusy_patched_v3-REDIST_postrun.dat' using 1:2 with linespoints lc 3 dt 1 pt 7 title 'patched v3-REDIST postrun', \
     'ebusy_patched_v3-REDIST_prerun.dat' using 1:2 with linespoints lc 3 dt 1 pt 7 title 'patched v3-REDIST prerun', \
     'ebusy_patched_COUNTER_OFFSET_postrun.dat' using 1:2 with linespoints lc 8 dt 1 pt 7 title 'patched COUNTER_OFFSET postrun', \
     'ebusy_patched_COUNTER_OFFSET_prerun.dat' using 1:2 with linespoints lc 8 dt 1 pt 7 title 'patched COUNTER_OFFSET prerun', \
     'ebusy_patched_CREATE_DEVICE-v3_prerun.dat' using 1:2 with linespoints lc 9 dt 1 pt 7 title 'patched CREATE_DEVICE-v3 prerun'
