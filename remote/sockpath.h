/*
 * Where gpuq and gpuqd find the daemon's Unix socket.
 *
 * A system daemon (run as root for everyone) listens on SOCKPATH_SYSTEM; a
 * personal daemon (a workstation, a user's own queue) on
 * sockpath_personal().
 */
#ifndef GPUQ_SOCKPATH_H
#define GPUQ_SOCKPATH_H

#define SOCKPATH_SYSTEM "/run/gpuq/gpuqd.sock"

/*
 * The personal daemon's socket: $XDG_RUNTIME_DIR/gpuq/gpuqd.sock, or
 * /tmp/gpuq-UID/gpuqd.sock when XDG_RUNTIME_DIR is unset or empty.
 * Returns a new string.
 */
char *sockpath_personal(void);

/*
 * The socket a client should use: $GPUQ_SOCKET when set; else the personal
 * socket when it exists; else SOCKPATH_SYSTEM when it exists; else the
 * personal path (so the error names the path a user would start).  Returns
 * a new string.
 */
char *sockpath_default(void);

#endif
