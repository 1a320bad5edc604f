# Coreutils driven from a script: cp onto an existing file (cp opens the target
# with O_PATH|O_DIRECTORY first), a writer killed by SIGPIPE when its reader
# quits, and a temporary directory made, filled and removed.
d=$(mktemp -d /tmp/forkbox-real.XXXXXX)
cp tree/words.txt "$d/copy" && cp tree/sub/inner.txt "$d/copy" && echo "cp twice: $?"
cat "$d/copy"
mkdir "$d/sub" && mv "$d/copy" "$d/sub/moved" && ls "$d/sub"
yes | head -n 2
sh -c 'yes; echo "yes ended with status $?" >&2' 2>&1 | head -n 1
(sh -c 'yes; echo "yes ended with status $?" >&2' | head -n 1 >/dev/null) 2>&1
rm -r "$d" && echo "removed: $?"
test -e "$d" || echo "gone"
