# Background jobs: $! names them, wait returns their status.
(exit 5) &
p=$!
[ "$p" -gt 0 ] && [ "$p" != "$$" ] && echo "\$! is a new pid"
wait $p; echo "wait status $?"
sh_sleep() { i=0; while [ $i -lt 50 ]; do i=$((i + 1)); done; echo "background done $1"; }
sh_sleep a > /tmp/forkbox-real-wait-$$ &
wait
cat /tmp/forkbox-real-wait-$$; rm -f /tmp/forkbox-real-wait-$$
true & false & wait $!; echo "last job status $?"
f() { return 3; }; f; echo "function status $?"
