//go:build !linux

package serve

import (
	"io/fs"
	"os"
)

// openPlain has no quick way here: the handler always resolves each name.
func (h *filesHandler) openPlain([]string) (*os.File, fs.FileInfo, bool) { return nil, nil, false }

func openDirFD(string) int { return -1 }

func closeDirFD(int) {}
