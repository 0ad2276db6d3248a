#!/bin/bash
# Guest entry of each cluster lab VM (lab/boot-cluster.sh names it): the
# guest's own set-up (name, networks, packages, its role's base), then
# "ready" on the results share, then idle until the host writes "stop";
# the host drives everything else through lab/cluster/cctl.
. "$PW_TREE/lab/cluster/cluster.sh"
log "cluster lab guest $PW_NODE"
if ! cl_base; then
	echo failed > "$PW_RESULTS/ready"
	cl_collect
	exit 1
fi
echo ok > "$PW_RESULTS/ready"
log "$PW_NODE ready"
while [ ! -e "$PW_RESULTS/stop" ]; do
	sleep 1
done
log "$PW_NODE: the host says stop"
cl_collect
exit 0
