package gui

import (
	"context"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/sniff"
)

// lesson is one of the Learn tab's lessons: a goal, steps the learner
// runs with a button each on real loopback traffic, a check that asks
// about what they saw, a recap, and the glossary's words for it.
type lesson struct {
	title string
	goal  string
	steps []step
	check check
	recap string
	terms []string // glossary terms
}

// step is one thing a lesson does when its button is pressed.
type step struct {
	text   string // what it does, and why
	button string // the button: what pressing it does ("Start the echo server")
	// run does it, off the UI goroutine; what it returns is the evidence
	// shown under the step.
	run func(ctx context.Context) (stepResult, error)
}

// stepResult is what a step found.
type stepResult struct {
	text   string        // plain sentences; outside text already escaped
	ladder *sniff.Ladder // a TCP conversation to draw, if any
	looks  []lessonLink  // where to see it in the window
}

// lessonLink jumps to where a step's result shows in the window: a tab with
// its filter set, a server, a capture, or a diagnosis.
type lessonLink struct {
	label  string // the link's text: "Find the client in Processes"
	tab    string // "Ports", "Processes", "Servers", "Packets"; "" with diagnose
	filter string // the tab's filter: ":62893"
	port   uint16 // the port a Servers/Packets/diagnose look is about
	conns  bool   // Processes: show the programs that only connect, too
	diag   bool   // open the port's diagnosis instead of a tab
}

// check asks the learner about what the steps showed, so they look.
type check struct {
	question string
	choices  []string // answers to pick from; none: the learner types a number
	// answer is the right answer, from what the steps found; "" until
	// they ran.
	answer func() string
	right  func(answer string) string // said when the learner got it: why it is so
	hint   string                     // said when they did not: where to look
	port   bool                       // the answer is a port: "127.0.0.1:54321" and ":54321" are fine too
}

// judge says whether got is the answer, and what to tell the learner.
func (c check) judge(got string) (bool, string) {
	want := c.answer()
	got = strings.TrimSpace(got)
	switch {
	case want == "":
		return false, "Run the steps first: the answer comes from what they do on this machine."
	case got == "":
		return false, "Pick or type an answer first."
	}
	if len(c.choices) == 0 {
		if i := strings.LastIndex(got, ":"); c.port && i >= 0 {
			got = got[i+1:] // the port of an address
		}
		if _, err := strconv.ParseUint(got, 10, 32); err != nil {
			return false, "Type a number, such as 3."
		}
		got = strings.TrimLeft(got, "0")
	}
	if strings.EqualFold(got, want) {
		return true, "Right. " + c.right(want)
	}
	return false, "Not quite. " + c.hint
}

// lessonMakers build the lessons, in order; each call starts a lesson
// afresh.
var lessonMakers = []func(*lab) *lesson{
	lessonLoopback, lessonPorts, lessonHandshake, lessonUDP, lessonExposure, lessonConflict,
}
