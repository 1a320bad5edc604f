# Redirections and here-documents, in a scratch directory of the guest's own.
d=/tmp/forkbox-real-$$
mkdir -p "$d" && cd "$d" || exit 1
echo first > f; echo second >> f; cat < f
echo to-stderr 1>&2 2>/dev/null
ls /nonexistent-forkbox-path 2>/dev/null; echo "ls status $?"
exec 3> g; echo via-fd-3 >&3; exec 3>&-; cat g
cat <<EOT
here-doc with $((6 * 7)) and $(echo substitution)
EOT
cat <<'EOT'
quoted here-doc keeps $HOME literally
EOT
tr a-z A-Z <<EOT | sed 's/^/> /'
piped here-doc
EOT
while read -r line; do echo "read: $line"; done < f
cd / && rm -r "$d" && echo cleaned
