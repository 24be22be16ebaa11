/*
 * linkhold.c - a link client for the admission tests that does the least
 * a session needs and then just stays connected.
 *
 *   linkhold STORE PORT [-w FILE]   handshake as STORE's node with its HQ
 *                                   at 127.0.0.1:PORT, send one PING (so
 *                                   the server admits it), then a PING a
 *                                   second, reading and dropping whatever
 *                                   comes, until the server closes;
 *                                   -w FILE keeps the message 1 frame
 *   linkhold -r FILE PORT           replay that frame on a new connection,
 *                                   then only wait, as a replaying
 *                                   attacker would
 *
 * Prints "held" (or "sent") once there, then "closed after MS ms" when the
 * server ends the connection.  The passphrase comes from CIMIC_PASSPHRASE.
 * Test helper only: loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/link.h"
#include "cimic/store.h"
#include "link_private.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
connect_port(int port)
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

static int
send_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
recv_all(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One frame: u16 length, then the message. */
static int
send_frame(int fd, const unsigned char *msg, size_t n)
{
	unsigned char len[2] = { (unsigned char)n, (unsigned char)(n >> 8) };

	return send_all(fd, len, 2) == 0 && send_all(fd, msg, n) == 0 ? 0 : -1;
}

/* Reads and drops what comes, sending a PING frame a second when t is given, until EOF. */
static void
wait_close(int fd, struct noise_transport *t, long long start)
{
	unsigned char buf[4096], frame[64];
	long long last = now_ms();

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;
		if (t != NULL && now_ms() - last >= 1000) {
			struct cimic_error err;
			struct buf ping;
			size_t n;
			buf_init(&ping);
			linkproto_put_ping(&ping);
			if (noise_transport_encrypt(t, ping.data, ping.len, frame, sizeof frame, &n, &err) != 0 ||
			    send_frame(fd, frame, n) != 0) {
				buf_finish(&ping);
				break;
			}
			buf_finish(&ping);
			last = now_ms();
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		r = recv(fd, buf, sizeof buf, 0);
		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
	printf("closed after %lld ms\n", now_ms() - start);
	fflush(stdout);
}

static int
replay(const char *file, int port)
{
	unsigned char buf[LINK_FRAME_MAX];
	FILE *f = fopen(file, "rb");
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
	long long start = now_ms();
	int fd;

	if (f != NULL)
		fclose(f);
	if (n == 0 || (fd = connect_port(port)) < 0 || send_all(fd, buf, n) != 0) {
		fprintf(stderr, "linkhold: cannot replay %s\n", file);
		return 1;
	}
	printf("sent\n");
	fflush(stdout);
	wait_close(fd, NULL, start);
	close(fd);
	return 0;
}

/* The whole handshake as the store's node; OUT *t: the transport. */
static int
handshake(struct store *st, int fd, const char *keep, struct noise_transport **t)
{
	static const unsigned char prologue[] = LINK_PROLOGUE;
	unsigned char msg[NOISE_MSG_MAX], *plain = malloc(NOISE_MSG_MAX), len[2];
	struct noise_handshake *hs = NULL;
	struct roster_node hq;
	struct cimic_error err;
	struct buf hello;
	size_t n, plen;
	int rc = -1;

	buf_init(&hello);
	if (plain == NULL || link_pick_peer(st, NULL, &hq, &err) != 0 ||
	    noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue - 1,
				   store_identity(st)->link_sk, hq.pub.link_pk, &hs, &err) != 0 ||
	    link_hello_put(st, &hello, &err) != 0 ||
	    noise_handshake_write(hs, hello.data, hello.len, msg, sizeof msg, &n, &err) != 0 ||
	    send_frame(fd, msg, n) != 0)
		goto out;
	if (keep != NULL) {
		FILE *f = fopen(keep, "wb");
		len[0] = (unsigned char)n, len[1] = (unsigned char)(n >> 8);
		if (f == NULL || fwrite(len, 1, 2, f) != 2 || fwrite(msg, 1, n, f) != n || fclose(f) != 0)
			goto out;
	}
	if (recv_all(fd, len, 2) != 0 || recv_all(fd, msg, (size_t)(len[0] | len[1] << 8)) != 0 ||
	    noise_handshake_read(hs, msg, (size_t)(len[0] | len[1] << 8), plain, NOISE_MSG_MAX, &plen,
				 &err) != 0 ||
	    noise_handshake_split(hs, t, &err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "linkhold: handshake failed: %s\n", err.msg);
	noise_handshake_destroy(hs);
	buf_finish(&hello);
	free(plain);
	return rc;
}

static int
hold(const char *dir, int port, const char *keep)
{
	const char *pass = getenv("CIMIC_PASSPHRASE");
	struct noise_transport *t = NULL;
	struct cimic_error err;
	struct store *st;
	long long start = now_ms();
	unsigned char frame[64];
	struct buf ping;
	size_t n;
	int fd;

	if (pass == NULL || store_open(dir, pass, strlen(pass), &st, &err) != 0) {
		fprintf(stderr, "linkhold: cannot open %s\n", dir);
		return 1;
	}
	if ((fd = connect_port(port)) < 0 || handshake(st, fd, keep, &t) != 0)
		return 1;
	store_close(st);
	buf_init(&ping);
	linkproto_put_ping(&ping);   /* the first transport frame: now the server admits us */
	if (noise_transport_encrypt(t, ping.data, ping.len, frame, sizeof frame, &n, &err) != 0 ||
	    send_frame(fd, frame, n) != 0)
		return 1;
	buf_finish(&ping);
	printf("held\n");
	fflush(stdout);
	wait_close(fd, t, start);
	noise_transport_destroy(t);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "-r") == 0)
		return replay(argv[2], atoi(argv[3]));
	if (argc == 3)
		return hold(argv[1], atoi(argv[2]), NULL);
	if (argc == 5 && strcmp(argv[3], "-w") == 0)
		return hold(argv[1], atoi(argv[2]), argv[4]);
	fprintf(stderr, "usage: linkhold STORE PORT [-w FILE] | linkhold -r FILE PORT\n");
	return 64;
}
