# Sourced by the service scripts: free loopback ports for a private daemon.
#
# Candidates lie below the kernel's ephemeral range (net.ipv4.ip_local_port_range), which
# the tests' own connections and Deno.listen({ port: 0 }) servers draw from; a port taken
# there between our check and the daemon's bind made slurmctld fail to start under load.

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a port p such that p .. p+span-1 are all free now (span defaults to 1).
free_ports() {
  local span=${1:-1} low ceiling candidate offset taken
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  ceiling=$((low > 12000 ? low - span : 32768 - span))
  for _ in $(seq 1 100); do
    candidate=$((10000 + RANDOM % (ceiling - 10000)))
    taken=0
    for ((offset = 0; offset < span; offset++)); do
      listening "$((candidate + offset))" && { taken=1; break; }
    done
    ((taken)) || { echo "$candidate"; return 0; }
  done
  return 1
}

# The last lines of a daemon's log, indented, for a failure message.
log_tail() { [[ -r $1 ]] && tail -n "${2:-15}" "$1" | sed 's/^/    /'; }
