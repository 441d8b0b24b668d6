// What the most frequent error signature most likely points at: a short table of patterns,
// the first that matches the template or its example line wins (the example keeps what the
// template masked, such as a 503 status). No match: unknown, and the signatures speak for
// themselves.

export interface Cause { en: string; ko: string }

// An HTTP status only where a line says it is one ("status 503", "HTTP/1.1 503", "code=503"), so
// that "took 512 ms" is not a server error.
const status = (code: string): string => String.raw`(?:status|code|HTTP\/[\d.]+|returned|responded with|response)\W{0,3}${code}\b`;

const table: Array<[RegExp, Cause]> = [
  [/timed? ?out|ETIMEDOUT|deadline exceeded|ESOCKETTIMEDOUT/i, { en: 'a dependency is slow or unreachable', ko: '의존 서비스가 느리거나 닿지 않습니다' }],
  [/ECONNREFUSED|connection refused|ECONNRESET|connection reset|EHOSTUNREACH|no route to host|broken pipe|EPIPE/i, { en: 'a dependency is down', ko: '의존 서비스가 내려가 있습니다' }],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo|name resolution|no such host/i, { en: 'a host name does not resolve (DNS)', ko: '호스트 이름을 찾지 못합니다(DNS)' }],
  [/out of memory|ENOMEM|heap (?:limit|out of memory)|\bOOM(?:Killed)?\b|allocation failed|OutOfMemory/i, { en: 'memory exhaustion', ko: '메모리 부족' }],
  [/no space left|ENOSPC|disk (?:is )?full|quota exceeded/i, { en: 'the disk is full', ko: '디스크 공간 부족' }],
  [/too many open files|EMFILE|ENFILE/i, { en: 'file descriptors exhausted', ko: '파일 디스크립터 고갈' }],
  [new RegExp(`permission denied|EACCES|EPERM|\\bforbidden\\b|${status('403')}`, 'i'), { en: 'missing permissions', ko: '권한이 없습니다' }],
  [new RegExp(`unauthori[sz]ed|${status('401')}|invalid token|token (?:has )?expired|authentication failed`, 'i'), { en: 'credentials are rejected', ko: '자격 증명이 거부됩니다' }],
  [new RegExp(`${status('429')}|rate.?limit|too many requests|throttl`, 'i'), { en: 'a dependency is rate-limiting the plugin', ko: '의존 서비스가 요청 수를 제한합니다' }],
  [new RegExp(`${status('5\\d\\d')}|internal server error|bad gateway|service unavailable`, 'i'), { en: 'an upstream service answers with server errors (5xx)', ko: '상위 서비스가 서버 오류(5xx)를 돌려줍니다' }],
  [/TypeError|ReferenceError|is not a function|cannot read propert|undefined is not|NullPointerException|nil pointer|segmentation fault|panic:/i, { en: 'a bug in the plugin\'s code', ko: '플러그인 코드의 버그' }],
];

export const unknownCause: Cause = { en: 'unknown; see the top signatures', ko: '알 수 없습니다. 상위 오류 유형을 보세요' };

/** The likely cause of the top signature (`template` and its `example` line). */
export function likelyCause(top: { template: string; example: string } | undefined): Cause {
  if (!top) return unknownCause;
  for (const [re, cause] of table) if (re.test(top.template) || re.test(top.example)) return cause;
  return unknownCause;
}
