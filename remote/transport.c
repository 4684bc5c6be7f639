#include "remote/transport.h"

int
transport_open(struct transport *t)
{
	return t->ops->open(t);
}

int
transport_write(struct transport *t, const char *p, size_t n)
{
	return t->ops->write(t, p, n);
}

void
transport_answer(struct transport *t, const char *answer)
{
	if (t->ops->answer != NULL && !t->closing)
		t->ops->answer(t, answer);
}

void
transport_close(struct transport *t)
{
	if (t == NULL || t->closing)
		return;
	t->closing = 1;
	t->ops->close(t);
}

void
transport_down(struct transport *t, int code, const char *why)
{
	if (t->is_down || t->closing)
		return;
	t->is_down = 1;
	t->cbs->down(t->arg, code, why);
}
