// Package assets holds the files Loopscope ships inside its binary: the
// application icon and the desktop entry. It does not import Fyne; callers
// wrap the bytes in whatever resource type they need.
package assets

import _ "embed"

// IconPNG is the 512×512 application icon.
//
//go:embed icon.png
var IconPNG []byte
