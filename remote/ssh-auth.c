/*
 * Authentication states: the ssh-agent first (unless IdentitiesOnly),
 * then each IdentityFile (asking for a passphrase when the file is
 * encrypted), then keyboard-interactive for sites with one-time codes.
 * libssh2 before 1.11 signs with RSA keys only as ssh-rsa (SHA-1), which
 * OpenSSH 8.8 and later refuse (libssh2/libssh2#634): such keys are not
 * tried, and the failure says what to do instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-int.h"
#include "remote/ssh-keyfile.h"
#include "remote/ssh-knownhosts.h"
#include "remote/ssh-resolve.h"

#define SSH_AUTH_REPASS 100 /* ssh_auth_key_try: ask for the passphrase again */

static void
ssh_auth_wipe(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

static void
ssh_auth_kbd_clear(struct ssh_kbd *k)
{
	int i;

	for (i = 0; i < SSH_MAX_KBD; i++) {
		free(k->prompt[i]);
		k->prompt[i] = NULL;
		ssh_auth_wipe(&k->answer[i]);
	}
	k->nprompts = k->nanswers = k->missing = k->cancelled = 0;
}

void
ssh_auth_done(struct ssh_hop *h)
{
	if (h->agent != NULL) {
		libssh2_agent_disconnect(h->agent);
		libssh2_agent_free(h->agent);
		h->agent = NULL;
	}
	ssh_auth_wipe(&h->pass);
	ssh_auth_kbd_clear(&h->kbd);
}

/* Whether the server offers method (its list is comma-separated). */
static int
ssh_auth_offers(const struct ssh_hop *h, const char *method)
{
	size_t k = strlen(method);
	const char *p = h->methods;

	while (p != NULL && (p = strstr(p, method)) != NULL) {
		if ((p == h->methods || p[-1] == ',') &&
		    (p[k] == ',' || p[k] == '\0'))
			return 1;
		p += k;
	}
	return 0;
}

static void
ssh_auth_tried(struct ssh_hop *h, const char *what)
{
	buf_printf(&h->tried, "%s%s", h->tried.len ? ", " : "", what);
}

static int
ssh_auth_ok(struct ssh_hop *h, const char *how)
{
	ssh_conn_note(h->conn, "ssh: %s: authenticated (%s)", h->label, how);
	ssh_auth_done(h);
	ssh_hop_set(h, SSH_HOP_OPEN);
	return SSH_NEXT;
}

/* Every method failed. */
static int
ssh_auth_denied(struct ssh_hop *h)
{
	static const char rsa[] =
	    ". libssh2 " LIBSSH2_VERSION " signs with RSA keys only as ssh-rsa "
	    "(SHA-1), which OpenSSH 8.8 and later refuse: use an ed25519 or "
	    "ECDSA key (ssh-keygen -t ed25519), or --ssh-command to go "
	    "through the system ssh";

	return ssh_hop_fail(h, GQ_EPERM,
	    "%s: permission denied (the server allows %s; tried %s)%s",
	    h->label, h->methods, h->tried.len ? h->tried.data : "nothing",
	    h->rsa_skipped ? rsa : "");
}

/* Where to go after the agent: key files, keyboard-interactive, or no. */
static int
ssh_auth_after_agent(struct ssh_hop *h)
{
	if (h->agent != NULL) {
		libssh2_agent_disconnect(h->agent);
		libssh2_agent_free(h->agent);
		h->agent = NULL;
	}
	h->key_idx = 0;
	h->key_ready = 0;
	ssh_hop_set(h, SSH_HOP_KEYS);
	return SSH_NEXT;
}

/* The agent's socket: IdentityAgent, else $SSH_AUTH_SOCK; NULL: none. */
static const char *
ssh_auth_agent_path(const struct ssh_hop *h)
{
	const char *p = h->cfg.identity_agent;

	if (p != NULL && strcasecmp(p, "none") == 0)
		return NULL;
	if (p == NULL || strcmp(p, "SSH_AUTH_SOCK") == 0)
		p = getenv("SSH_AUTH_SOCK");
	return p != NULL && p[0] != '\0' ? p : NULL;
}

int
ssh_auth_state_list(struct ssh_hop *h)
{
	const char *user = h->cfg.user;
	char *m;

	m = libssh2_userauth_list(h->s, user, (unsigned)strlen(user));
	if (m == NULL) {
		if (libssh2_userauth_authenticated(h->s))
			return ssh_auth_ok(h, "none");
		if (libssh2_session_last_errno(h->s) == LIBSSH2_ERROR_EAGAIN)
			return SSH_AGAIN;
		return ssh_hop_fail(h, GQ_ECONN, "%s: %s", h->label,
		    ssh_hop_error(h));
	}
	free(h->methods);
	h->methods = xstrdup(m);
	buf_init(&h->tried, 16 * 1024);
	if (!ssh_auth_offers(h, "publickey"))
		return ssh_auth_after_agent(h);
	if (h->cfg.identities_only || ssh_auth_agent_path(h) == NULL)
		return ssh_auth_after_agent(h);
	ssh_hop_set(h, SSH_HOP_AGENT_START);
	return SSH_NEXT;
}

int
ssh_auth_state_agent_start(struct ssh_hop *h)
{
	int rc;

	if (h->agent == NULL) {
		if ((h->agent = libssh2_agent_init(h->s)) == NULL)
			return ssh_auth_after_agent(h);
		libssh2_agent_set_identity_path(h->agent,
		    ssh_auth_agent_path(h));
	}
	if (!h->agent_connected) {
		rc = libssh2_agent_connect(h->agent);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return SSH_AGAIN;
		if (rc != 0) {
			ssh_auth_tried(h, "the agent (not reachable)");
			return ssh_auth_after_agent(h);
		}
		h->agent_connected = 1;
	}
	rc = libssh2_agent_list_identities(h->agent);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc != 0)
		return ssh_auth_after_agent(h);
	h->agent_id = NULL;
	h->agent_trying = 0;
	ssh_hop_set(h, SSH_HOP_AGENT);
	return SSH_NEXT;
}

/* Takes the agent's next identity; 0 when there is none left. */
static int
ssh_auth_agent_next(struct ssh_hop *h)
{
	struct libssh2_agent_publickey *id = NULL;
	char type[KNOWNHOSTS_MAX_TYPE] = "";

	for (;;) {
		if (libssh2_agent_get_identity(h->agent, &id, h->agent_id) != 0)
			return 0;
		h->agent_id = id;
		knownhosts_blob_type(id->blob, id->blob_len, type,
		    sizeof(type));
		if (SSH_HAVE_RSA_SHA2 || !ssh_keyfile_is_rsa(type))
			break;
		h->rsa_skipped++;
	}
	h->agent_keys++;
	return 1;
}

int
ssh_auth_state_agent(struct ssh_hop *h)
{
	const char *user = h->cfg.user;
	char what[300];
	int rc;

	for (;;) {
		if (!h->agent_trying) {
			if (!ssh_auth_agent_next(h))
				return ssh_auth_after_agent(h);
			h->agent_trying = 1;
		}
		rc = libssh2_agent_userauth(h->agent, user, h->agent_id);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return SSH_AGAIN;
		snprintf(what, sizeof(what), "agent key %.200s",
		    h->agent_id->comment != NULL ? h->agent_id->comment : "");
		if (rc == 0)
			return ssh_auth_ok(h, what);
		ssh_auth_tried(h, what);
		h->agent_trying = 0;
	}
}

/* The next key: whether it is a usable private key, and encrypted. */
static int
ssh_auth_key_examine(struct ssh_hop *h, const char *path)
{
	struct ssh_keyfile_info ki;
	char *text = NULL, what[600];
	size_t len;
	int rc;

	rc = ssh_resolve_read_file(path, SSH_KEYFILE_MAX_TEXT, &text, &len);
	if (rc == 0)
		rc = ssh_keyfile_info(text, len, &ki);
	free(text);
	if (rc != 0)
		return 0;
	if (!SSH_HAVE_RSA_SHA2 && ssh_keyfile_is_rsa(ki.type)) {
		h->rsa_skipped++;
		snprintf(what, sizeof(what), "%s (RSA: not usable)", path);
		ssh_auth_tried(h, what);
		return 0;
	}
	h->key_encrypted = ki.encrypted;
	h->key_tries = 0;
	h->key_ready = 1;
	return 1;
}

static void
ssh_auth_key_skip(struct ssh_hop *h)
{
	h->key_idx++;
	h->key_ready = 0;
	h->asked = 0;
	ssh_auth_wipe(&h->pass);
}

/* Gets the passphrase: 1 when there is one, 0 when asked, -1 refused. */
static int
ssh_auth_key_pass(struct ssh_hop *h, const char *path)
{
	char *q;
	int now;

	if (h->pass != NULL)
		return 1;
	if (!h->asked) {
		if (h->conn->o.batch || h->conn->t.cbs->ask == NULL)
			return -1;
		q = xasprintf("%sEnter the passphrase for %s:",
		    h->key_tries > 0 ? "Wrong passphrase. " : "", path);
		h->asked = 1;
		now = ssh_conn_ask(h, TRANSPORT_ASK_SECRET, "Passphrase", q);
		free(q);
		if (!now)
			return 0;
	}
	h->asked = 0;
	h->pass = ssh_conn_take_answer(h->conn);
	return h->pass != NULL ? 1 : -1;
}

/*
 * Whether a failed key means a wrong passphrase: libssh2 says it could
 * not read the file (no .pub beside it), or that its signing callback
 * failed (a .pub beside it; a key the server refuses reads "Username/
 * PublicKey combination invalid" instead).
 */
static int
ssh_auth_bad_pass(struct ssh_hop *h, int rc)
{
	return rc == LIBSSH2_ERROR_FILE ||
	    (rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED &&
	        strstr(ssh_hop_error(h), "allback") != NULL);
}

/* Tries the current key file; SSH_NEXT moves to the next key. */
static int
ssh_auth_key_try(struct ssh_hop *h, const char *path)
{
	const char *user = h->cfg.user;
	char *pub = xasprintf("%s.pub", path);
	int rc;

	rc = libssh2_userauth_publickey_fromfile_ex(h->s, user,
	    (unsigned)strlen(user), access(pub, R_OK) == 0 ? pub : NULL, path,
	    h->pass != NULL ? h->pass : "");
	free(pub);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc == 0)
		return ssh_auth_ok(h, path);
	/* libssh2 could not decrypt the file: the passphrase was wrong. */
	if (h->key_encrypted && ssh_auth_bad_pass(h, rc) &&
	    ++h->key_tries < SSH_PASS_TRIES) {
		ssh_auth_wipe(&h->pass);
		return SSH_AUTH_REPASS;
	}
	ssh_auth_tried(h, path);
	ssh_auth_key_skip(h);
	return SSH_NEXT;
}

/* After the key files: keyboard-interactive, or the end. */
static int
ssh_auth_after_keys(struct ssh_hop *h)
{
	if (ssh_auth_offers(h, "keyboard-interactive") &&
	    h->cfg.kbd_interactive && !h->conn->o.batch &&
	    h->conn->t.cbs->ask != NULL) {
		ssh_hop_set(h, SSH_HOP_KBD);
		return SSH_NEXT;
	}
	return ssh_auth_denied(h);
}

int
ssh_auth_state_keys(struct ssh_hop *h)
{
	const char *path;
	int rc;

	while (ssh_auth_offers(h, "publickey") && h->key_idx < h->cfg.nids) {
		path = h->cfg.ids[h->key_idx];
		if (!h->key_ready && !ssh_auth_key_examine(h, path)) {
			ssh_auth_key_skip(h);
			continue;
		}
		if (h->key_encrypted) {
			rc = ssh_auth_key_pass(h, path);
			if (rc == 0)
				return SSH_WAIT;
			if (rc < 0) {
				ssh_auth_tried(h, path);
				ssh_auth_key_skip(h);
				continue;
			}
		}
		rc = ssh_auth_key_try(h, path);
		if (rc != SSH_NEXT && rc != SSH_AUTH_REPASS)
			return rc;
		if (h->state != SSH_HOP_KEYS)
			return SSH_NEXT;
	}
	return ssh_auth_after_keys(h);
}

/* Answers prompt i of a round: from the last round's answers, or now. */
static char *
ssh_auth_kbd_answer(struct ssh_hop *h, int i, const char *text, size_t len,
    int echo)
{
	struct ssh_kbd *k = &h->kbd;
	char *prompt = xstrndup(text, len), *a = NULL;

	if (i < k->nanswers && k->answer[i] != NULL) {
		a = k->answer[i];
		k->answer[i] = NULL;
	} else if (h->conn->o.ask_now &&
	    ssh_conn_ask(h, echo ? TRANSPORT_ASK_TEXT : TRANSPORT_ASK_SECRET,
	        "Keyboard-interactive", prompt)) {
		a = ssh_conn_take_answer(h->conn);
		k->cancelled = a == NULL;
	}
	if (a == NULL && i < SSH_MAX_KBD && !k->cancelled) {
		/* Asked after this round fails, answered in the next. */
		k->missing = 1;
		free(k->prompt[i]);
		k->prompt[i] = prompt;
		k->echo[i] = echo;
		return xstrdup("");
	}
	free(prompt);
	return a != NULL ? a : xstrdup("");
}

static void
ssh_auth_kbd_cb(const char *name, int name_len, const char *instruction,
    int instruction_len, int num_prompts,
    const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)
{
	struct ssh_hop *h = *abstract;
	char *a;
	int i;

	h->kbd.nprompts = num_prompts < SSH_MAX_KBD ? num_prompts : SSH_MAX_KBD;
	for (i = 0; i < num_prompts; i++) {
		a = ssh_auth_kbd_answer(h, i, prompts[i].text,
		    prompts[i].length, prompts[i].echo);
		/* libssh2 frees responses with its free(): ours is malloc. */
		responses[i].text = a;
		responses[i].length = (unsigned)strlen(a);
	}
	h->kbd.nanswers = 0;
}

int
ssh_auth_state_kbd(struct ssh_hop *h)
{
	const char *user = h->cfg.user;
	int rc;

	rc = libssh2_userauth_keyboard_interactive_ex(h->s, user,
	    (unsigned)strlen(user), ssh_auth_kbd_cb);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc == 0)
		return ssh_auth_ok(h, "keyboard-interactive");
	if (h->kbd.missing && !h->kbd.cancelled &&
	    ++h->kbd.rounds < SSH_KBD_ROUNDS) {
		h->kbd.missing = 0;
		h->kbd.asking = 0;
		h->asked = 0;
		ssh_hop_set(h, SSH_HOP_KBD_ASK);
		return SSH_NEXT;
	}
	ssh_auth_tried(h, "keyboard-interactive");
	return ssh_auth_denied(h);
}

/* Asks the prompts of the failed round one by one, then tries again. */
int
ssh_auth_state_kbd_ask(struct ssh_hop *h)
{
	struct ssh_kbd *k = &h->kbd;
	const char *p;

	while (k->asking < k->nprompts) {
		p = k->prompt[k->asking] != NULL ? k->prompt[k->asking] : "";
		if (!h->asked) {
			h->asked = 1;
			if (!ssh_conn_ask(h,
			        k->echo[k->asking] ? TRANSPORT_ASK_TEXT :
			                             TRANSPORT_ASK_SECRET,
			        "Keyboard-interactive", p))
				return SSH_WAIT;
		}
		h->asked = 0;
		ssh_auth_wipe(&k->answer[k->asking]);
		k->answer[k->asking] = ssh_conn_take_answer(h->conn);
		if (k->answer[k->asking] == NULL) {
			ssh_auth_tried(h, "keyboard-interactive (cancelled)");
			return ssh_auth_denied(h);
		}
		k->asking++;
	}
	k->nanswers = k->nprompts;
	ssh_hop_set(h, SSH_HOP_KBD);
	return SSH_NEXT;
}
