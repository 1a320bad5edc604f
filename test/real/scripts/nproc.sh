# RLIMIT_NPROC biting (run as an unprivileged user): the shell and two
# sleeping jobs use up a limit of 3, so the next fork fails with EAGAIN.
ulimit -u 3
sleep 3 >/dev/null 2>&1 &
sleep 3 >/dev/null 2>&1 &
echo "two jobs running"
( echo "a third" ) &
echo "not reached"
