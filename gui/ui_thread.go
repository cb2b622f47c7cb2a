package gui

import (
	"sync"

	"fyne.io/fyne/v2"
)

// onUI hands fn to the UI goroutine, as fyne.Do does. Work that a tab
// starts on its own goroutine (starting a server, sending a request)
// comes back through it.
//
// Fyne's test driver has no UI goroutine: it runs fn on the caller's. The
// package's tests set onUI to uiLocked, and make their own checks under
// uiLock too, so the test and the work take turns as they would on the
// one UI goroutine.
var onUI = fyne.Do

// uiLock stands in for the UI goroutine in tests; see onUI.
var uiLock sync.Mutex

// uiLocked runs fn holding uiLock.
func uiLocked(fn func()) {
	uiLock.Lock()
	defer uiLock.Unlock()
	fn()
}
