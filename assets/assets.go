// Package assets holds the files Loopscope ships inside its binary: the
// application icon, the desktop entry and the lessons' recorded capture.
// It does not import Fyne; callers wrap the bytes in whatever resource
// type they need.
package assets

import _ "embed"

// IconPNG is the 512×512 application icon.
//
//go:embed icon.png
var IconPNG []byte

// LessonsPcap is a recording of the traffic the Learn tab's packet
// lessons make (scripts/record-lessons): one HTTP request to an echo
// server on 127.0.0.1:62893, "hello" over UDP to 62894 and over TCP to
// 62895. Lessons show it where this machine does not let them capture.
//
//go:embed lessons/recorded.pcap
var LessonsPcap []byte

// Licences are the licences of the modules Loopscope links, each as its
// module ships it (scripts/licences writes the file).
//
//go:embed LICENSES.txt
var Licences string
