# set -m without a terminal: bash turns job control on (each job leads its
# own process group, kill %1 signals the group, stops are reported, bg
# continues a job); dash and BusyBox say they cannot and go on without it
# (dash's kill %1 then names a group that does not exist).
set -m
sleep 100 &
pid=$!
jobs
kill %1 || kill $pid
wait $pid
echo "wait: $?"
case $BASH_VERSION in '') exit 0 ;; esac
sleep 100 &
pid=$!
[ "$(cut -d' ' -f5 /proc/$pid/stat)" = "$pid" ] && echo "the job leads its own group"
kill -STOP %1
sleep 1
jobs
kill -CONT %1
sleep 1
kill %1
wait $pid
echo "wait after kill %1: $?"
sh -c 'kill -STOP $$; echo "the job continued"' &
sleep 1
jobs
bg %1
wait
echo "done: $?"
