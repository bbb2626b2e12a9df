package lsp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nvimHarness waits for the buffer's diagnostics, records their codes,
// writes the buffer (the fix-on-save recipe runs) and quits.
const nvimHarness = `
function ComposelintTest()
  vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local f = io.open(os.getenv("NVIM_TEST_OUT"), "w")
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
    f:write(tostring(code) .. "\n")
  end
  f:close()
  vim.cmd("write")
  vim.cmd("qa!")
end
`

// docRecipes returns the Lua blocks of docs/editors.md marked
// <!-- nvim-test: NAME -->, by name.
func docRecipes(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	re := regexp.MustCompile("(?s)<!-- nvim-test: ([a-z-]+) -->\n```lua\n(.*?)```")
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestNeovimRecipes runs the Neovim recipes of docs/editors.md, as written,
// in a headless Neovim against the real `composelint lsp`: the buffer gets
// the server's diagnostics, and :write writes the fixed file.
func TestNeovimRecipes(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim is not installed (apt-get install neovim)")
	}
	recipes := docRecipes(t)
	if recipes["server"] == "" || recipes["fix-on-save"] == "" {
		t.Fatalf("docs/editors.md lacks the nvim-test blocks: %v", recipes)
	}
	bin := buildBinary(t)
	home := t.TempDir()
	initLua := filepath.Join(home, "init.lua")
	if err := os.WriteFile(initLua, []byte(recipes["server"]+recipes["fix-on-save"]+nvimHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	compose := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(compose, []byte("version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(home, "diagnostics")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-i", "NONE", "-u", initLua, compose, "-c", "lua ComposelintTest()")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NVIM_TEST_OUT="+out, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_STATE_HOME="+home, "XDG_CACHE_HOME="+home)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}
	codes, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(codes), "obsolete-version") {
		t.Errorf("the buffer's diagnostics are %q, want obsolete-version", codes)
	}
	got, _ := os.ReadFile(compose)
	if want := "services:\n  web:\n    image: nginx:1.27\n"; string(got) != want {
		t.Errorf("after :write the file is\n%s\nwant the fixed file\n%s", got, want)
	}
}
