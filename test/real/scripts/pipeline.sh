# Five-stage pipelines, and the status of a pipeline is its last command's.
printf '%s\n' pear apple fig banana apple cherry fig apple | sort | uniq -c | sort -rn | head -3 | tr a-z A-Z
seq 1 200 | grep 7 | sed 's/7/seven/' | sort -r | wc -l
echo one two three | tr ' ' '\n' | cat | cat | sort
false | true; echo "status after false|true: $?"
true | false; echo "status after true|false: $?"
