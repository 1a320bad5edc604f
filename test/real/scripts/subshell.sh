# Subshells and command substitution: variables stay inside, exit codes come out.
x=outer
(x=inner; echo "in subshell: $x"; exit 7)
echo "subshell status $? x=$x"
y=$(echo "nested $(echo deeper $(echo deepest))")
echo "$y"
count=$(printf 'a\nb\nc\n' | wc -l)
echo "lines: $count"
[ "$(echo $$)" = "$$" ] && echo "\$\$ is the same in a command substitution"
( [ "$$" = "$(echo $$)" ] ) && echo "\$\$ is the same in a subshell"
{ echo grouped; echo braces; } | sort
