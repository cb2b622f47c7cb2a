package send

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Kinds of failure, for errors.Is on the errors Do returns.
var (
	ErrInvalid   = errors.New("send: invalid request")                  // the request cannot be sent as written
	ErrRefused   = errors.New("send: connection refused")               // nothing listens on the port
	ErrNoHost    = errors.New("send: host not found")                   // the name does not resolve
	ErrTimeout   = errors.New("send: timed out")                        // no (complete) answer in time
	ErrUntrusted = errors.New("send: certificate not trusted")          // TLS verification failed
	ErrNotTLS    = errors.New("send: server does not speak TLS")        // https:// to a plain port
	ErrClosed    = errors.New("send: connection closed without answer") // EOF or reset
	ErrNotHTTP   = errors.New("send: answer is not HTTP")               // another protocol on the port
)

// Error is what Do returns when a request fails: Msg says what happened and
// what to do, in words for the user; Kind is one of the Err sentinels and
// Err the underlying cause. errors.Is matches both.
type Error struct {
	Kind error
	Msg  string
	Err  error
}

// Error returns Msg.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind }

// explain turns a transport error into an *Error that names the address
// and suggests a next step.
// got is the start of what the server sent.
func explain(parent, tctx context.Context, err error, u *url.URL, timeout time.Duration, c *clock, got []byte) error {
	addr := hostPort(u)
	cause := unwrapURL(err)
	if parent.Err() != nil {
		return fmt.Errorf("the request to %s was canceled: %w", addr, parent.Err())
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && !dnsErr.IsTimeout && tctx.Err() == nil {
		return &Error{Kind: ErrNoHost, Err: err, Msg: fmt.Sprintf(
			"cannot find host %s (%s): check the spelling, or use 127.0.0.1 for this computer",
			u.Hostname(), dnsReason(dnsErr))}
	}
	if tctx.Err() != nil || isTimeout(err) {
		return &Error{Kind: ErrTimeout, Err: err, Msg: timeoutMsg(addr, timeout, c)}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		why := "connection refused"
		var op *net.OpError
		if net.ParseIP(u.Hostname()) == nil && errors.As(err, &op) && op.Addr != nil {
			// Say which address of the name was refused: "localhost"
			// may be 127.0.0.1 while the server listens on ::1.
			why = "tried " + op.Addr.String() + ": connection refused"
		}
		return &Error{Kind: ErrRefused, Err: err, Msg: fmt.Sprintf(
			"nothing is listening on %s (%s): start a server on that port, or check the URL", addr, why)}
	}
	if msg, kind := explainTLS(err, addr); msg != "" {
		return &Error{Kind: kind, Err: err, Msg: msg}
	}
	if len(got) > 0 && !bytes.HasPrefix(got, []byte("HTTP/")) {
		return &Error{Kind: ErrNotHTTP, Err: err, Msg: fmt.Sprintf(
			"%s answered, but not in HTTP (it began %q): another kind of server may be on that port; check the port", addr, head(got))}
	}
	if c.answered() && isClosed(err) {
		return &Error{Kind: ErrClosed, Err: err, Msg: fmt.Sprintf(
			"%s closed the connection before the whole answer arrived: the server may have crashed while answering", addr)}
	}
	if len(got) == 0 && !c.answered() && (c.connected() || isClosed(err)) {
		hint := "the server may have crashed, or it does not speak HTTP"
		if u.Scheme == "http" {
			hint = "if it expects https, use https://; otherwise " + hint
		}
		return &Error{Kind: ErrClosed, Err: err, Msg: fmt.Sprintf(
			"%s closed the connection without an answer: %s", addr, hint)}
	}
	return &Error{Kind: nil, Err: err, Msg: fmt.Sprintf("sending to %s failed: %v", addr, cause)}
}

// explainTLS returns a message for handshake and certificate failures.
func explainTLS(err error, addr string) (string, error) {
	if reason := untrusted(err); reason != "" {
		return fmt.Sprintf("the certificate of %s is not trusted (%s): turn on Skip certificate check for a local self-signed certificate",
			addr, reason), ErrUntrusted
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		if strings.HasPrefix(string(rh.RecordHeader[:]), "HTTP/") {
			return fmt.Sprintf("%s answered in plain HTTP, not TLS: use http:// instead of https://", addr), ErrNotTLS
		}
		return fmt.Sprintf("%s did not answer with TLS (it looks like plain HTTP or another protocol): use http:// instead of https://",
			addr), ErrNotTLS
	}
	var he *handshakeError
	if errors.As(err, &he) && isClosed(err) {
		return fmt.Sprintf("%s closed the connection during the TLS handshake: if it serves plain HTTP, use http:// instead of https://",
			addr), ErrNotTLS
	}
	return "", nil
}

// untrusted returns why certificate verification failed, or "".
func untrusted(err error) string {
	var (
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		cve *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &ua):
		return "signed by an unknown authority"
	case errors.As(err, &hn):
		return strings.TrimPrefix(hn.Error(), "x509: ")
	case errors.As(err, &ci):
		return strings.TrimPrefix(ci.Error(), "x509: ")
	case errors.As(err, &cve):
		return strings.TrimPrefix(cve.Err.Error(), "x509: ")
	}
	return ""
}

func timeoutMsg(addr string, timeout time.Duration, c *clock) string {
	switch {
	case c.answered():
		return fmt.Sprintf("the answer from %s did not finish within %s: the server is slow or the body is large; raise the timeout", addr, timeout)
	case c.connected():
		return fmt.Sprintf("no answer from %s within %s: it accepted the connection but sent nothing back; check that the server is not stuck, or raise the timeout", addr, timeout)
	}
	return fmt.Sprintf("no answer from %s within %s: the connection was not accepted; check the address, or a firewall", addr, timeout)
}

// isClosed reports an error of a connection the other side closed.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// head is the first line of b, at most 40 bytes, for a message.
func head(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return b[:min(len(b), 40)]
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func dnsReason(e *net.DNSError) string {
	if e.IsNotFound {
		return "no such host"
	}
	return e.Err
}

// unwrapURL drops the `Get "http://…":` prefix net/http adds.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// hostPort is the host and port dialed, with the scheme's default port.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}
