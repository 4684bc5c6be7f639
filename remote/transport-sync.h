/*
 * A loop transport made blocking, for the CLI's client (remote/client.c
 * is free of libuv): a private libuv loop runs the transport whenever the
 * client waits for bytes.  The libssh2 transport is used so.
 */
#ifndef GPUQ_TRANSPORT_SYNC_H
#define GPUQ_TRANSPORT_SYNC_H

#include "remote/client.h"
#include "remote/transport-ssh.h"

/*
 * Answers a question synchronously: returns an answer (new) or NULL to
 * refuse.  ssh_prompt_tty (ssh-prompt.c) asks on the terminal.
 */
typedef char *transport_sync_ask_fn(const struct transport_ask *q);

/*
 * Connects through the libssh2 transport and exchanges hellos.  ask may
 * be NULL (questions are refused).  Progress lines go to stderr when
 * o->verbose.  Returns 0 with *out, or a GQ_E* code with *cause (new).
 */
int transport_sync_ssh(const struct transport_ssh_opts *o,
    transport_sync_ask_fn *ask, struct client **out, char **cause);

/*
 * Asks on the terminal (/dev/tty, no echo for secrets), or through the
 * program in $GPUQ_ASKPASS (else $SSH_ASKPASS) when there is no terminal
 * or $SSH_ASKPASS_REQUIRE is "force": it gets the question as its
 * argument and prints the answer.  Host keys are never asked here.
 */
char *ssh_prompt_tty(const struct transport_ask *q);

#endif
