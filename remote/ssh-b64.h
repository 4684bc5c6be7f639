/*
 * Base64 as SSH writes it: key blobs in known_hosts and .pub files, the
 * salt and hash of hashed host names, SHA256 fingerprints (unpadded).
 * Pure.
 */
#ifndef GPUQ_SSH_B64_H
#define GPUQ_SSH_B64_H

#include <stddef.h>

#include "core/base/buf.h"

/* Appends the encoding of p (n bytes); pad adds the '=' padding. */
int ssh_b64_encode(struct buf *out, const void *p, size_t n, int pad);

/*
 * Decodes text (len bytes; padding optional, no blanks) into out (at most
 * max bytes).  Returns the decoded length, or GQ_EINVAL for text that is
 * not base64, GQ_ETOOBIG when it does not fit.
 */
long ssh_b64_decode(const char *text, size_t len, unsigned char *out,
    size_t max);

#endif
