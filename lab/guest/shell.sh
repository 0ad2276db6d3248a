#!/bin/bash
# Guest entry for 'make lab-shell': bring the lab up, then an interactive
# shell on the serial console with every lab function loaded.
. "$PW_TREE/lab/guest/bringup.sh"
lab_bringup || echo "# bring-up failed; the shell is yours to look (logs in /results/logs)"
cat <<MSG

pathwarden lab: map $(mp_map)
  multipathd show topology | multipathd show paths format "%d %T %c %p"
  fault_alua hpms01 standby | fault_link_drop hpms01 | fault_node_down hpms01 ...
  (functions: lab/guest/faults.sh; logs: /results)
  'exit' (or Ctrl-D) powers the VM off.

MSG
rcfile=/run/pwlab-bashrc
cat > "$rcfile" <<RC
. "$PW_TREE/lab/guest/bringup.sh"
PS1='pwlab# '
RC
# A session of its own with the serial line as its controlling terminal
# (busybox cttyhack finds it), so job control and Ctrl-C work.
stty -F /dev/ttyS0 sane 2>/dev/null
setsid /bin/busybox cttyhack /bin/bash --rcfile "$rcfile" -i
