/*
 * cutproxy.c - a TCP proxy for the link tests: listens on 127.0.0.1 (a
 * port from the kernel), forwards each connection to 127.0.0.1:TARGET,
 * counts the bytes each way, and can cut a connection after a random
 * number of bytes, the way a radio link drops in the middle of anything.
 *
 *   cutproxy [-c MAX] [-s SEED] [-n CONNS] [-b] TARGET_PORT
 *
 * -c MAX   cut each connection (reset both sides) once 1..MAX bytes, drawn
 *          uniformly, have passed in both directions together; 0: never
 * -s SEED  seed of the draws (default 1), so that a failure can be replayed
 * -n CONNS exit after CONNS connections (default: run until killed)
 * -b       black hole: accept, read and drop, never forward nor answer
 *
 * Prints "port N" first, then one line per connection:
 *   "conn I up BYTES down BYTES cut|end"  (up = client to server).
 * Connections are served one at a time.  Test helper only: loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct opts {
	long max_cut;
	unsigned seed;
	long conns;
	int blackhole;
	int target;
};

static int
loopback_listen(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int
loopback_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Close with a reset: the peer sees the connection die, with no orderly end. */
static void
reset(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

/* Moves at most `room` bytes from one socket to the other; -1 at EOF or error. */
static long
pass(int from, int to, long room)
{
	char buf[4096];
	ssize_t n = read(from, buf, room < (long)sizeof buf ? (size_t)room : sizeof buf), off = 0;

	if (n <= 0)
		return -1;
	while (off < n) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));
		if (w <= 0)
			return -1;
		off += w;
	}
	return (long)n;
}

/* Forwards until either side ends or the cut point is reached. */
static void
forward(int client, const struct opts *o, long id)
{
	int server = loopback_connect(o->target);
	long up = 0, down = 0, cut = o->max_cut > 0 ? 1 + (long)(rand() % o->max_cut) : -1;
	int open_up = 1, open_down = 1, was_cut = 0;

	if (server < 0) {
		close(client);
		printf("conn %ld no-target\n", id);
		return;
	}
	while (open_up || open_down) {
		struct pollfd p[2] = { { client, open_up ? POLLIN : 0, 0 }, { server, open_down ? POLLIN : 0, 0 } };
		long room = cut > 0 ? cut - up - down : 1L << 30, n;

		if (room <= 0) {
			was_cut = 1;
			break;
		}
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((n = pass(client, server, room)) < 0) {
				open_up = 0;
				shutdown(server, SHUT_WR);
			} else {
				up += n;
				room -= n;
			}
		}
		if (room > 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if ((n = pass(server, client, room)) < 0) {
				open_down = 0;
				shutdown(client, SHUT_WR);
			} else {
				down += n;
			}
		}
	}
	if (was_cut) {
		reset(client);
		reset(server);
	} else {
		close(client);
		close(server);
	}
	printf("conn %ld up %ld down %ld %s\n", id, up, down, was_cut ? "cut" : "end");
}

static void
swallow(int client, long id)
{
	char buf[4096];
	long n = 0;
	ssize_t r;

	while ((r = read(client, buf, sizeof buf)) > 0)
		n += r;
	close(client);
	printf("conn %ld up %ld down 0 blackhole\n", id, n);
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->conns = -1;
	while ((c = getopt(argc, argv, "c:s:n:b")) != -1) {
		if (c == 'c')
			o->max_cut = atol(optarg);
		else if (c == 's')
			o->seed = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'n')
			o->conns = atol(optarg);
		else if (c == 'b')
			o->blackhole = 1;
		else
			return -1;
	}
	if (optind != argc - 1 || (o->target = atoi(argv[optind])) <= 0 || o->target > 65535)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int lfd, port;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: cutproxy [-c MAX] [-s SEED] [-n CONNS] [-b] TARGET_PORT\n");
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	srand(o.seed);
	if ((lfd = loopback_listen(&port)) < 0) {
		perror("cutproxy: listen");
		return 1;
	}
	printf("port %d\n", port);
	for (long id = 1; o.conns < 0 || id <= o.conns; id++) {
		int client = accept(lfd, NULL, NULL);
		if (client < 0)
			continue;
		if (o.blackhole)
			swallow(client, id);
		else
			forward(client, &o, id);
	}
	close(lfd);
	return 0;
}
