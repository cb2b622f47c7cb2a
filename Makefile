# Loopscope's build. Two commands do everything on a fresh machine:
#   make run    install missing system packages, build, open the window
#   make test   the same set-up, then vet, race-enabled tests and a
#               real-window smoke test under Xvfb
GO      ?= go
TAGS    := migrated_fynedo
BIN     := loopscope
PREFIX  ?= $(HOME)/.local
# Fyne's packaging tool, built for this machine into .bin (go run would
# build it for GOOS when cross-compiling).
FYNE    := $(CURDIR)/.bin/fyne

.PHONY: all deps build run test vet crosscheck cross metainfo bench install uninstall package clean

all: build

deps:
	@./.ci/deps

# The window and, beside it, the capture helper: the one small program
# that may be given the right to capture (see README, "Capturing
# without root").
build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .
	$(GO) build -o $(BIN)-capture ./cmd/loopscope-capture

run: build
	./$(BIN)

vet:
	$(GO) vet -tags $(TAGS) ./...

# LOOPSCOPE_STRICT=1 makes tests fail, not skip, when what they need is
# missing (xvfb-run, ss, gcc, root): make test promises all of it.
test: deps vet crosscheck cross metainfo
	LOOPSCOPE_STRICT=1 $(GO) test -race -tags $(TAGS) -count=1 ./...

# What has no Fyne in it — sockets, servers, diagnosis, packet decoding
# and files, the command table — vetted and built for the other systems,
# without cgo (so sniff's libpcap part is left to pcap_none.go there,
# except on Windows, where gopacket loads Npcap without cgo).
CROSS    := darwin/arm64 darwin/amd64 freebsd/amd64 windows/amd64
FYNEFREE := ./netinfo/... ./sniff/... ./internal/... ./assets
crosscheck:
	@for t in $(CROSS); do \
		echo "GOOS=$${t%/*} GOARCH=$${t#*/} go vet && go build $(FYNEFREE)"; \
		GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0 $(GO) vet $(FYNEFREE) || exit 1; \
		GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0 $(GO) build $(FYNEFREE) || exit 1; \
	done

# The AppStream metadata software centres read, checked with the tool
# they use, where it is installed (.ci/deps installs it).
APPID    := io.github.loopscope.loopscope
METAINFO := assets/$(APPID).metainfo.xml
metainfo:
	@if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net $(METAINFO); \
	else echo "metainfo: no appstreamcli here; $(METAINFO) is not checked"; fi

FYNE_TOOLS := v1.7.4
$(FYNE): Makefile
	GOBIN=$(CURDIR)/.bin $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS)

# The Windows build, cross-compiled with cgo as `fyne package -os windows`
# makes it (icon, version, no console window), with mingw-w64's gcc,
# which .ci/deps installs, and every package vetted for Windows: about
# 5 minutes each the first time, seconds once Go's build cache holds them.
# Skipped, and said so, where there is no mingw-w64 (macOS builds its own
# bundle). The packaging tool counts builds in FyneApp.toml; a test build
# leaves the file as it was.
MINGW := x86_64-w64-mingw32-gcc
cross: deps $(FYNE)
	@if ! command -v $(MINGW) >/dev/null; then echo "cross: no $(MINGW) here; the Windows build is skipped"; exit 0; fi; \
	echo "GOOS=windows go vet -tags $(TAGS) ./..."; \
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=$(MINGW) $(GO) vet -tags $(TAGS) ./... || exit 1; \
	cp FyneApp.toml .bin/FyneApp.toml.keep; \
	trap 'mv .bin/FyneApp.toml.keep FyneApp.toml; rm -f fyne.syso' EXIT; \
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=$(MINGW) $(FYNE) package -os windows --release --tags $(TAGS) && \
	echo "cross: built Loopscope.exe for windows/amd64"

bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...
	$(GO) run ./scripts/servebench
	$(GO) run ./scripts/capturebench

# Installs for the current user: the binary, a menu entry and the icon, so
# the app starts from the desktop's application menu.
install: build
	install -Dm755 $(BIN) $(PREFIX)/bin/$(BIN)
	install -Dm755 $(BIN)-capture $(PREFIX)/bin/$(BIN)-capture
	install -Dm644 assets/icon.png $(PREFIX)/share/icons/hicolor/512x512/apps/loopscope.png
	install -Dm644 $(METAINFO) $(PREFIX)/share/metainfo/io.github.loopscope.loopscope.metainfo.xml
	sed 's|^Exec=.*|Exec=$(PREFIX)/bin/$(BIN)|' assets/loopscope.desktop > loopscope.desktop.tmp
	install -Dm644 loopscope.desktop.tmp $(PREFIX)/share/applications/$(APPID).desktop
	rm -f loopscope.desktop.tmp $(PREFIX)/share/applications/loopscope.desktop
	-update-desktop-database $(PREFIX)/share/applications 2>/dev/null
	@echo "installed: $(PREFIX)/bin/$(BIN) and a Loopscope entry in the application menu"

uninstall:
	rm -f $(PREFIX)/bin/$(BIN) $(PREFIX)/bin/$(BIN)-capture $(PREFIX)/share/applications/$(APPID).desktop \
		$(PREFIX)/share/applications/loopscope.desktop \
		$(PREFIX)/share/icons/hicolor/512x512/apps/loopscope.png \
		$(PREFIX)/share/metainfo/io.github.loopscope.loopscope.metainfo.xml

# Fyne's packaging tool builds this OS's bundle (.tar.xz on Linux, .app on
# macOS, .exe with icon on Windows) from FyneApp.toml; the capture helper
# is then added beside loopscope, and on Linux the AppStream metainfo, both
# to the bundle's Makefile too (package_linux_test.go checks the result).
# The tool counts builds in FyneApp.toml; the file is left as it was.
package: deps $(FYNE)
	@cp FyneApp.toml .bin/FyneApp.toml.pkg; \
	trap 'mv .bin/FyneApp.toml.pkg FyneApp.toml' EXIT; \
	$(FYNE) package --release --tags $(TAGS)
	$(GO) build -o $(BIN)-capture ./cmd/loopscope-capture
	./scripts/package-helper $(BIN)-capture $(METAINFO)

clean:
	rm -f $(BIN) $(BIN)-capture *.tar.xz Loopscope.exe
	rm -rf .bin
