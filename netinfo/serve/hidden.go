package serve

import (
	"path"
	"strings"
)

// secretNames are files that hold keys or passwords under their usual
// names; a folder served for a web page rarely means to publish them.
var secretNames = map[string]bool{
	// SSH private keys; their .pub halves are public and stay visible.
	"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true,
	"id_ecdsa_sk": true, "id_ed25519_sk": true,
	// Passwords for curl, npm and pip, under their Windows names as well
	// (the dotted ones are hidden as dotfiles).
	"_netrc": true, "_npmrc": true, "_pypirc": true,
	// AWS and Google Cloud credentials, and AWS's downloaded access keys.
	"credentials": true, "credentials.json": true, "credentials.csv": true,
	"application_default_credentials.json": true,
}

// secretExts are extensions of keys, certificates with keys, and password
// databases.
var secretExts = map[string]bool{
	".pem": true, ".key": true, ".p12": true, ".pfx": true, ".kdbx": true,
	".jks": true, ".keystore": true, ".ppk": true,
}

// hiddenName reports whether a file name is hidden by default: a dotfile
// (.git, .env, .ssh, .aws, .htpasswd) or a secret by its name.
func hiddenName(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	// Windows and macOS ignore case, and Windows drops trailing dots and
	// spaces: "ID_RSA." opens id_rsa there.
	n := strings.ToLower(strings.TrimRight(name, ". "))
	if secretNames[n] || secretExts[path.Ext(n)] {
		return true
	}
	// Google's OAuth client files: client_secret_1234.apps.googleusercontent.com.json.
	return strings.HasPrefix(n, "client_secret") && strings.HasSuffix(n, ".json")
}

// hiddenPath reports whether any name on the path is hidden: everything
// under .git is as hidden as .git.
func hiddenPath(segs []string) bool {
	for _, s := range segs {
		if hiddenName(s) {
			return true
		}
	}
	return false
}
