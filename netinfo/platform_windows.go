package netinfo

// osEphemeralRange: Windows has used 49152–65535 since Vista; reading a
// changed range needs netsh, which is too slow for every snapshot.
func osEphemeralRange() (PortRange, bool) { return ianaEphemeral, true }

// v6OnlyByDefault: on Windows IPV6_V6ONLY is on unless a program clears it.
func v6OnlyByDefault() bool { return true }
