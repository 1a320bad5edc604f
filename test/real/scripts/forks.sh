# A loop that forks 1,000 times (command substitution), plus exec of a program.
i=0; sum=0
while [ $i -lt 1000 ]; do
  v=$(echo $i)
  sum=$((sum + v))
  i=$((i + 1))
done
echo "forked $i times, sum $sum"
n=0
for f in 1 2 3 4 5 6 7 8 9 10; do /bin/true && n=$((n + 1)); done
echo "ran /bin/true $n times"
