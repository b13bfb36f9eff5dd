#!/usr/bin/env bash
# Installs (if needed) and starts a single-node Slurm (slurmctld + slurmd + munged) for the curation Slurm test.
# Prints the PIDs to stop; config and state live under $1 (a temp folder). See shared notes: slurm.conf essentials.
set -euo pipefail
dir="$1"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi
if sinfo -h -o %T 2>/dev/null | grep -qE "idle|mix|alloc"; then echo "slurm already up"; exit 0; fi
mkdir -p "$dir/spool" "$dir/state" "$dir/log" /etc/slurm /run/munge
host=$(hostname)
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=pharos
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
MaxArraySize=1001
DependencyParameters=kill_invalid_depend
MailProg=/bin/true
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=16 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
chown -R munge:munge /run/munge 2>/dev/null || true
[[ -f /etc/munge/munge.key ]] || (mungekey -c 2>/dev/null || create-munge-key -f >/dev/null 2>&1 || true)
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged --force --pid-file=/run/munge/munged.pid
  cp /run/munge/munged.pid "$dir/munged.pid" 2>/dev/null || true
fi
setsid slurmctld -D -i >"$dir/log/ctld.out" 2>&1 < /dev/null & echo $! > "$dir/ctld.pid"
setsid slurmd -D >"$dir/log/d.out" 2>&1 < /dev/null & echo $! > "$dir/d.pid"
for _ in $(seq 1 30); do
  if sinfo -h -o %T 2>/dev/null | grep -qE "idle|mix|alloc"; then echo "slurm up"; exit 0; fi
  sleep 0.5
done
echo "slurm did not come up" >&2
cat "$dir/log/"*.log >&2 || true
exit 1
