// Korean particles after a value: 이/가, 을/를, 은/는, 으로/로 depend on whether the word before
// them, as read aloud, ends in a final consonant (and 으로 becomes 로 after ㄹ). Values in the
// Korean descriptions end in a Hangul syllable, a digit or a unit; each is read here the way a
// Korean speaker reads it (`200` 이백 → 을, `340` 삼백사십 → 을, `ms` 밀리초 → 를).

export type Particle = '이' | '을' | '은' | '으로';

type Ending = 'vowel' | 'rieul' | 'consonant';

const pairs: Record<Particle, [string, string]> = {
  이: ['이', '가'],
  을: ['을', '를'],
  은: ['은', '는'],
  으로: ['으로', '로'],
};

// 영 일 이 삼 사 오 육 칠 팔 구
const digitEndings: Ending[] = ['consonant', 'rieul', 'vowel', 'consonant', 'vowel', 'vowel', 'consonant', 'rieul', 'rieul', 'vowel'];

// Units as read aloud: 밀리초, 초, 분, 시간, 일, 바이트, 메비바이트, 코어, 퍼센트, 개, 배.
const unitEndings: Record<string, Ending> = {
  ms: 'vowel', s: 'vowel', m: 'consonant', h: 'consonant', d: 'rieul', B: 'vowel', KiB: 'vowel', MiB: 'vowel',
  GiB: 'vowel', TiB: 'vowel', PiB: 'vowel', cores: 'vowel', core: 'vowel', '%': 'vowel', '×': 'vowel',
};

// English letter names as read in Korean: 엘, 엠, 엔, 알 end in a consonant; the others in a vowel.
const letterEndings: Record<string, Ending> = { l: 'rieul', m: 'consonant', n: 'consonant', r: 'rieul' };

function endingOfNumber(digits: string): Ending {
  const whole = digits.replace(/\.\d*$/, '');
  if (digits.includes('.')) return digitEndings[Number(digits.at(-1))]!;
  const last = whole.replace(/0+$/, '');
  const zeros = whole.length - last.length;
  if (last === '') return 'consonant'; // 영
  // 십, 백, 천, 만 … all end in a consonant
  return zeros === 0 ? digitEndings[Number(last.at(-1))]! : 'consonant';
}

function endingOf(word: string): Ending {
  const w = word.trimEnd();
  const unit = /([A-Za-z%×]+)$/.exec(w)?.[1];
  if (unit !== undefined && unitEndings[unit] !== undefined) return unitEndings[unit]!;
  const ch = w.at(-1) ?? '';
  const code = ch.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return final === 0 ? 'vowel' : final === 8 ? 'rieul' : 'consonant';
  }
  const number = /(\d+(?:\.\d+)?)$/.exec(w)?.[1];
  if (number !== undefined) return endingOfNumber(number);
  if (/[A-Za-z]/.test(ch)) return letterEndings[ch.toLowerCase()] ?? 'vowel';
  return 'vowel';
}

/** `word` followed by the right form of `particle`: `josa('200 ms', '을')` → `200 ms를`. */
export function josa(word: string, particle: Particle): string {
  const [afterConsonant, afterVowel] = pairs[particle];
  const ending = endingOf(word);
  const useVowelForm = ending === 'vowel' || (ending === 'rieul' && particle === '으로');
  return word + (useVowelForm ? afterVowel : afterConsonant);
}
