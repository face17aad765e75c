// Starts `covenant lsp` (or the command in the `covenant.server.command` setting) for
// .cov files and passes the `covenant.*` settings to it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("covenant");
  const [command, ...args] = settings.get("server.command");
  client = new LanguageClient(
    "covenant",
    "Covenant",
    { command, args },
    {
      documentSelector: [{ scheme: "file", language: "covenant" }],
      synchronize: { configurationSection: "covenant" },
    }
  );
  context.subscriptions.push(client);
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
