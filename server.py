"""The MCP server for the default settings: ``python server.py`` or ``fastmcp run server.py`` (stdio)."""

from briefing.mcp_server import app

if __name__ == "__main__":
    app.run(show_banner=False)
