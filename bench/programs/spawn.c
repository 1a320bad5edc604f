/* The seed's experiment (spawn_children.c, after TLPI): N times, fork; the
   child prints "j child" and exits, the parent prints "j parent" and waits
   for it. stdout is unbuffered, so no line is printed twice. Usage: spawn N */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 0;

    setbuf(stdout, NULL);
    for (int j = 0; j < n; j++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            printf("%d child\n", j);
            _exit(0);
        }
        printf("%d parent\n", j);
        if (waitpid(pid, NULL, 0) != pid) {
            perror("waitpid");
            return 1;
        }
    }
    return 0;
}
