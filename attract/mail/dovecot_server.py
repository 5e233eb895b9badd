"""A throwaway Dovecot IMAP server for the tests and the benchmark: Debian's dovecot-imapd,
started as an unprivileged process (as `nobody` when we are root) with its own configuration
in a temporary folder, listening on 127.0.0.1 on a free port, with plaintext login for
passwd-file users whose Maildirs live in that folder."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
INSTALL_HINT = "Dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DovecotServer:
    host = "127.0.0.1"

    def __init__(self) -> None:
        if not os.path.exists(DOVECOT):
            raise RuntimeError(INSTALL_HINT)
        self.root = Path(tempfile.mkdtemp(prefix="attract-dovecot-"))
        self.port = _free_port()
        if os.geteuid() == 0:
            self.user, self.group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        else:
            self.user = pwd.getpwuid(os.geteuid()).pw_name
            self.group = grp.getgrgid(os.getegid()).gr_name
        self.passwords: dict[str, str] = {}
        self.process: subprocess.Popen | None = None

    def _config(self) -> str:
        r = self.root
        return f"""
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{r}/mail/%u
first_valid_uid = 1
default_internal_user = {self.user}
default_login_user = {self.user}
default_internal_group = {self.group}
mail_fsync = never
auth_failure_delay = 0
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {r}/users
  default_fields = uid={self.user} gid={self.group} home={r}/home/%u
}}
"""

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, self.user, self.group)

    def start(self) -> DovecotServer:
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir()
            self._own(self.root / sub)
        (self.root / "dovecot.conf").write_text(self._config())
        self._write_users()
        self._own(self.root)
        command = [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")]
        if os.geteuid() == 0:
            command = [
                "setpriv",
                f"--reuid={self.user}",
                f"--regid={self.group}",
                "--clear-groups",
                *command,
            ]
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot stopped: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Dovecot did not listen on {self.port} within 15 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    def _write_users(self) -> None:
        lines = "".join(f"{user}:{{PLAIN}}{pw}::::::\n" for user, pw in self.passwords.items())
        path = self.root / "users"
        path.write_text(lines)
        self._own(path)

    def add_user(self, user: str, password: str) -> None:
        """Add a user, or change their password (passwd-file is read again when it changes)."""
        self.passwords[user] = password
        # Dovecot reads the file again when its mtime (whole seconds) or size changes: a
        # change within the same second as the last one waits for the next second.
        if int(time.time()) == getattr(self, "_written", None):
            time.sleep(1.01 - time.time() % 1)
        self._write_users()
        self._written = int(time.time())
        # It also looks at the file at most once a second: the next login must come in a
        # later second than this write to see it.
        time.sleep(1.01 - time.time() % 1)

    def connect(self, user: str) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        connection.login(user, self.passwords[user])
        return connection

    def deliver(self, user: str, folder: str, raw: bytes, *, when: float | None = None) -> None:
        """APPEND a message as a mail server or a mail client would put it there."""
        connection = self.connect(user)
        try:
            if folder.upper() != "INBOX":
                connection.create(f'"{folder}"')
            stamp = imaplib.Time2Internaldate(when or time.time())
            status, data = connection.append(f'"{folder}"', None, stamp, raw)
            assert status == "OK", data
        finally:
            connection.logout()

    def deliver_many(self, user: str, folder: str, messages: list[bytes]) -> None:
        connection = self.connect(user)
        try:
            if folder.upper() != "INBOX":
                connection.create(f'"{folder}"')
            for raw in messages:
                connection.append(f'"{folder}"', None, None, raw)
        finally:
            connection.logout()
