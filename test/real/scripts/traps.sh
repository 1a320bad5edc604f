# Traps run between commands: USR1 and INT sent to the shell itself, CHLD when
# a background job ends, EXIT at the end; background jobs killed by SIGTERM
# and SIGKILL report 143 and 137 through wait.
trap 'echo "USR1 trap"' USR1
kill -USR1 $$
echo "after USR1: $?"
trap 'echo "INT trap"' INT
kill -INT $$
echo "after INT: $?"
trap - INT USR1
trap '' USR2
kill -USR2 $$
echo "USR2 ignored: $?"
sleep 100 &
pid=$!
[ "$pid" -gt 1 ] && [ "$pid" != "$$" ] && echo "\$! is a new pid"
jobs
kill %1 || kill $pid
wait $pid
echo "job killed by SIGTERM: $?"
(exit 7) &
wait $!
echo "exit 7 job: $?"
sleep 100 &
kill -9 $!
wait $! 2>/dev/null
echo "job killed by SIGKILL: $?"
trap 'echo "CHLD trap"' CHLD
(exit 0) &
wait
trap - CHLD
sh -c 'kill -TERM $$'
echo "child killed itself: $?"
trap 'echo "EXIT trap, last status $?"' EXIT
false
