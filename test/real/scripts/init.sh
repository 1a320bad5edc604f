# pid 1 is the init of a pid namespace (natively the shell runs under
# unshare --pid --fork): a signal from inside that would take its default
# action does nothing to it, SIGKILL and SIGSTOP included; a handler runs;
# other processes die as usual.
echo "pid $$"
kill -TERM 1; echo "after SIGTERM: $?"
kill -KILL 1; echo "after SIGKILL: $?"
kill -STOP 1; echo "after SIGSTOP: $?"
kill -HUP 1; echo "after SIGHUP: $?"
trap 'echo "USR1 handler"' USR1
kill -USR1 1
sh -c 'kill -TERM $$'; echo "a child is no init: $?"
