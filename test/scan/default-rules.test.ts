// Every default rule against a line it must flag (at the exact column) and a similar line it must
// not; code rules ignore comments, secret rules do not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileLanguage } from '../../src/plugins/scan/comments.ts';
import { defaultRules, fakeSecrets, scanText, where } from './helpers.ts';

interface Case {
  rule: string;
  file: string;
  language: FileLanguage;
  /** A line that must be flagged at `col`. */
  flagged: string;
  col: number;
  /** Lines that must not be flagged by this rule. */
  clean: string[];
}

const py = (rule: string, flagged: string, col: number, ...clean: string[]): Case => ({ rule, file: 'backend/plugin.py', language: 'python', flagged, col, clean });
const js = (rule: string, flagged: string, col: number, ...clean: string[]): Case => ({ rule, file: 'src/index.js', language: 'javascript', flagged, col, clean });
const ts = (rule: string, flagged: string, col: number, ...clean: string[]): Case => ({ rule, file: 'src/index.ts', language: 'typescript', flagged, col, clean });
const any = (rule: string, flagged: string, col: number, ...clean: string[]): Case => ({ rule, file: 'config/settings.env', language: 'other', flagged, col, clean });

const cases: Case[] = [
  py('python.eval', 'result = eval(expr)', 10, 'value = ast.literal_eval(expr)', 'model.eval()', 'evaluate(x)', '    def eval(self, x):'),
  py('python.exec', '    exec(code, {})', 5, 'cursor.execute(sql)', 'conn.exec(sql)'),
  py('python.dynamic-import', 'mod = __import__(name)', 7, 'import importlib', 'mod = importlib.import_module("json")'),
  py('python.subprocess-shell', 'out = subprocess.check_output(cmd, shell=True)', 7, 'subprocess.run(["ls", "-l"], shell=False)', 'subprocess.run(["ls"])'),
  py('python.subprocess-popen', 'p = subprocess.Popen(["ls", "-l"])', 5, 'p = subprocess.run(["ls"])', 'p = subprocess.Popen(cmd, shell=True)'),
  py('python.os-system', 'os.system("rm -rf " + path)', 1, 'os.path.join(a, b)', 'os.getcwd()'),
  py('python.os-system', 'pipe = os.popen(cmd)', 8),
  py('python.input', 'name = input("Name: ")', 8, 'value = form.input(field)', 'data = read_input(x)', '    Strip newlines from the input (default: True).'),
  py('python.pickle', 'obj = pickle.loads(blob)', 7, 'blob = pickle.dumps(obj)', 'pickle.dump(obj, f)'),
  py('python.pickle', 'obj = cPickle.load(f)', 7),
  py('python.yaml-load', 'cfg = yaml.load(f)', 7, 'cfg = yaml.load(f, Loader=yaml.SafeLoader)', 'cfg = yaml.safe_load(f)', 'cfg = yaml.load(f, Loader=CSafeLoader)'),
  py('python.yaml-load', 'cfg = yaml.unsafe_load(f)', 7),
  py('python.marshal', 'code = marshal.loads(data)', 8, 'data = marshal.dumps(code)'),
  js('js.eval', 'const r = eval(input);', 11, 'const r = obj.eval(input);', 'const r = evaluate(input);'),
  ts('js.eval', 'let v: number = eval(src);', 17),
  js('js.new-function', 'const f = new Function("a", body);', 11, 'const f = makeFunction(body);', 'const f = function () {};'),
  js('js.child-process-exec', 'exec(`ls ${dir}`, cb);', 1, "exec('ls -l', cb);", "execFile('git', ['status']);", 're.exec(line + suffix);', 'exec(cmd, cb);'),
  ts('js.child-process-exec', "const out = child_process.execSync('git log ' + ref);", 13),
  js('js.child-process-exec', 'cp.exec(base + " --force");', 1),
  js('js.vm-run', 'vm.runInNewContext(code, sandbox);', 1, 'vm.createContext(sandbox);', 'const script = new Script(code);'),
  ts('js.vm-run', '  vm.runInThisContext(code);', 3),
  any('secret.aws-access-key', `AWS_ACCESS_KEY_ID=${fakeSecrets.aws}`, 19, 'AWS_ACCESS_KEY_ID=AKIA1234', `ID=X${fakeSecrets.aws}`),
  py('secret.aws-access-key', `key = "${fakeSecrets.aws}"`, 8),
  any('secret.private-key', fakeSecrets.privateKey, 1, '-----BEGIN PUBLIC KEY-----', '-----BEGIN CERTIFICATE-----', '_SK_START = b"-----BEGIN OPENSSH PRIVATE KEY-----"'),
  py('secret.private-key', `KEY = "${fakeSecrets.privateKey}\\nMIIEowIBAAKCAQEA"`, 8),
  js('secret.github-token', `const token = "${fakeSecrets.github}";`, 16, 'const token = "ghp_short";', 'const token = process.env.GITHUB_TOKEN;'),
  any('secret.slack-token', `SLACK_TOKEN=${fakeSecrets.slack}`, 13, 'SLACK_TOKEN=xoxz-1234567890', 'SLACK_TOKEN='),
  py('secret.hardcoded-credential', 'DB_PASSWORD = "s3cr3t-value"', 1, 'password = os.environ["DB_PASSWORD"]', 'password = "short"', 'password = "${DB_PASSWORD}"', 'PASSWORD_FIELD = "password_input"',
    'def load(private_key: "_DSAPrivateKey", data: bytes):', '    Attr.CHALLENGE_PASSWORD: "challengePassword",'),
  js('secret.hardcoded-credential', 'const config = { apiKey: "k-12345678abcdef" };', 18),
  any('secret.hardcoded-credential', '"client_secret": "0123456789abcdef"', 2),
];

test('every default rule has a case', async () => {
  const ids = (await defaultRules()).map((r) => r.id);
  assert.equal([...new Set(cases.map((c) => c.rule))].sort(), ids);
});

for (const c of cases) {
  test(`${c.rule} flags: ${c.flagged}`, async () => {
    const text = `first = 1\n${c.flagged}\n`;

    const { kept } = await scanText(c.file, text, c.language);

    const hits = kept.filter((f) => f.ruleId === c.rule).map(where);
    assert.equal(hits, [`${c.rule}@${c.file}:2:${c.col}`]);
  });
  for (const clean of c.clean) {
    test(`${c.rule} leaves alone: ${clean}`, async () => {
      const { kept } = await scanText(c.file, `${clean}\n${c.flagged}\n`, c.language);

      // The flagged line below proves the rule ran on this file.
      assert.equal(kept.filter((f) => f.ruleId === c.rule).map((f) => f.line), [2]);
    });
  }
}

test('findings carry severity, message, fix, cwe and a trimmed snippet', async () => {
  const { kept } = await scanText('a.py', '    value = eval(text)  \n', 'python');

  const { lineHash, ...shown } = kept[0]!;
  assert.equal(shown, {
    ruleId: 'python.eval', severity: 'high', file: 'a.py', line: 1, col: 13,
    message: 'eval() runs arbitrary code built from its argument',
    fix: 'Parse the data instead (ast.literal_eval for literals, json.loads for JSON), or map names to functions explicitly.',
    cwe: 'CWE-95', snippet: 'value = eval(text)',
  });
  assert.match(lineHash, /^[0-9a-f]{32}$/);
});

test('secret snippets are masked after the first four characters', async () => {
  const { kept } = await scanText('a.env', `KEY=${fakeSecrets.aws}\n`, 'other');

  assert.is(kept[0]?.snippet, 'KEY=AKIA****');
  assert.not.match(JSON.stringify(kept), fakeSecrets.aws);
});

const commentCases: Array<{ name: string; file: string; language: FileLanguage; text: string; expected: string[] }> = [
  { name: 'python comment line', file: 'a.py', language: 'python', text: '# never call eval(x) here\n', expected: [] },
  { name: 'python trailing comment', file: 'a.py', language: 'python', text: 'x = 1  # os.system(cmd) was removed\n', expected: [] },
  { name: 'python # inside a string is no comment', file: 'a.py', language: 'python', text: 'tag = "#1"; eval(tag)\n', expected: ['python.eval@a.py:1:13'] },
  { name: 'js line comment', file: 'a.js', language: 'javascript', text: '// eval(x) is forbidden\n', expected: [] },
  { name: 'js block comment continuation', file: 'a.ts', language: 'typescript', text: '/**\n * Never use new Function(body).\n */\n', expected: [] },
  { name: 'js // inside a URL string is no comment', file: 'a.js', language: 'javascript', text: 'const u = "http://x"; eval(u);\n', expected: ['js.eval@a.js:1:23'] },
  { name: 'code before a comment still counts', file: 'a.py', language: 'python', text: 'eval(x)  # eval again\n', expected: ['python.eval@a.py:1:1'] },
  { name: 'secret in a python comment', file: 'a.py', language: 'python', text: `# old key: ${fakeSecrets.aws}\n`, expected: ['secret.aws-access-key@a.py:1:12'] },
  { name: 'secret in a js comment', file: 'a.js', language: 'javascript', text: `run(); // ${fakeSecrets.github}\n`, expected: ['secret.github-token@a.js:1:11'] },
];

for (const c of commentCases) {
  test(`comments: ${c.name}`, async () => {
    const { kept } = await scanText(c.file, c.text, c.language);

    assert.equal(kept.map(where), c.expected);
  });
}

test('rules apply only to their languages: python rules skip js, js rules skip python, other files get secrets only', async () => {
  const text = `eval(x)\nexec(y)\nKEY=${fakeSecrets.aws}\n`;

  const [asPy, asJs, asOther] = await Promise.all([scanText('f.py', text, 'python'), scanText('f.js', text, 'javascript'), scanText('f.txt', text, 'other')]);

  assert.equal(asPy.kept.map((f) => f.ruleId), ['python.eval', 'python.exec', 'secret.aws-access-key']);
  assert.equal(asJs.kept.map((f) => f.ruleId), ['js.eval', 'secret.aws-access-key']);
  assert.equal(asOther.kept.map((f) => f.ruleId), ['secret.aws-access-key']);
});

test.run();
