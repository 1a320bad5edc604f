# ulimit -u (RLIMIT_NPROC through prlimit64/setrlimit): set, read back,
# inherited by subshells and exec'd programs (prlimit reads it with
# prlimit64), lowered only in a subshell, and a soft limit above the hard
# one refused.
ulimit -Su 200
ulimit -Hu 250
echo "soft and hard: $(ulimit -Su) $(ulimit -Hu)"
( ulimit -Su 50; echo "subshell: $(ulimit -Su)" )
echo "after the subshell: $(ulimit -Su)"
echo "exec'd program: $(prlimit --nproc --output=SOFT,HARD --noheadings)"
ulimit -Su 260
echo "soft above hard: $?"
ulimit -u 220
echo "both: $(ulimit -Su) $(ulimit -Hu)"
