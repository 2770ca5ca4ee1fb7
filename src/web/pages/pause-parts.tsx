/**
 * Pausing blocking (POST /api/pause): the current state in words and one button per duration, plus
 * "resume" while paused. Used by the dashboard (the household) and the device page (one device).
 */
import { clockTime, isoTime } from './format.js';
import { SendButton } from './manage-parts.js';

/** "for 15 min", "for 1 h", "for 8 h". */
const durationText = (minutes: number) => (minutes < 60 ? `${minutes} min` : `${minutes / 60} h`);

/** Minutes left, rounded up: "12 min left", "2 h 5 min left". */
function left(now: number, until: number): string {
  const m = Math.max(1, Math.ceil((until - now) / 60_000));
  return m < 60 ? `${m} min left` : `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''} left`;
}

/** The pause state and buttons; `what` names the target for screen readers ("the household", a device name). */
export function PauseControl(props: { target: string; what: string; now: number; until: number | null; minutes: number[]; note?: string }) {
  const { target, until, now } = props;
  const isPaused = until !== null && until > now;
  return (
    <div class="pause" data-paused={isPaused ? 'true' : 'false'}>
      <p>
        {isPaused ? (
          <>
            <span class="badge flagged">paused</span>
            {' Nothing is blocked until '}
            <time datetime={isoTime(until)}>{clockTime(now, until).replace(/:\d\d$/, '')}</time>
            {` (${left(now, until)}).`}
          </>
        ) : (
          <>
            <span class="badge allowed">on</span> Blocking is on.
          </>
        )}
        {props.note ? <span class="muted">{` ${props.note}`}</span> : null}
      </p>
      <div class="choice">
        {props.minutes.map((m) => (
          <SendButton api="/api/pause" method="POST" body={{ target, minutes: m }} label={`Pause ${durationText(m)}`} aria={`Pause blocking for ${props.what} for ${durationText(m)}`} />
        ))}
        {isPaused ? <SendButton api="/api/pause" method="POST" body={{ target, minutes: 0 }} label="Resume" aria={`Resume blocking for ${props.what}`} class="small" /> : null}
      </div>
    </div>
  );
}
