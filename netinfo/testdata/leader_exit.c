/* A process whose main thread exits while another thread listens:
 * /proc/PID/fd is gone with the main thread, /proc/PID/task/TID/fd is not.
 * Prints the port, then the main thread calls pthread_exit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void *serve(void *arg) {
	(void)arg;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		printf("error\n");
		fflush(stdout);
		return NULL;
	}
	printf("%d\n", ntohs(sa.sin_port));
	fflush(stdout);
	for (;;)
		pause();
}

int main(void) {
	pthread_t t;
	pthread_create(&t, NULL, serve, NULL);
	sleep(1); /* let the thread listen and print first */
	pthread_exit(NULL);
}
