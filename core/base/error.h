/*
 * Error codes shared by every layer and by the protocol.
 *
 * A fallible function returns 0 or a negative GQ_E* code.  The protocol
 * carries the code's name ("EINVAL") as its string form.
 */
#ifndef GPUQ_ERROR_H
#define GPUQ_ERROR_H

/* X(name, human text) */
#define GQ_ERRORS(X)                                                           \
	X(EINVAL, "invalid argument")                                          \
	X(EPERM, "permission denied")                                          \
	X(ENOENT, "no such object")                                            \
	X(ENOFIT, "request fits no node")                                      \
	X(EPROTO, "protocol error")                                            \
	X(ESTALE, "event history no longer available")                         \
	X(ENOSYS, "unknown verb")                                              \
	X(ETOOBIG, "too large")                                                \
	X(ESTATE, "not allowed in this state")                                 \
	X(EEXIST, "already exists")                                            \
	X(EIO, "input/output error")                                           \
	X(ECONN, "connection failed")                                          \
	X(ETIMEDOUT, "timed out")                                              \
	X(EBUSY, "busy")                                                       \
	X(EINTERNAL, "internal error")

enum gq_err {
	GQ_OK = 0,
#define GQ_ERR_ENUM(name, text) GQ_##name,
	GQ_ERR_FIRST_ = -1000,
	GQ_ERRORS(GQ_ERR_ENUM)
#undef GQ_ERR_ENUM
	    GQ_ERR_LAST_
};

/* The protocol name of a code ("EINVAL"); "EINTERNAL" for unknown codes. */
const char *gq_err_name(int code);
/* A short human text for a code. */
const char *gq_err_text(int code);
/* The code for a protocol name, or GQ_EINTERNAL when the name is unknown. */
int gq_err_from_name(const char *name);

#endif
