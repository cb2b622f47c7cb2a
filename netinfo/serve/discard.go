package serve

import (
	"io"
	"log"
)

// discardLog swallows net/http's own complaints (a client that sent TLS
// to a plain port, a broken connection): a lower layer never logs.
var discardLog = log.New(io.Discard, "", 0)
