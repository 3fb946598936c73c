import { Button } from '@mantine/core';
import { IconPlayerStopFilled, IconVolume } from '@tabler/icons-react';
import { useEffect, useState } from 'react';

function speechSupported(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function';
}

/**
 * R-ENG-8: reads an exercise aloud with the browser's own voice; not shown where the browser has none.
 * Starting one stops any other reading.
 */
export function ReadAloudButton({ text, label }: { text: string; label: string }) {
  const [speaking, setSpeaking] = useState(false);
  const supported = speechSupported();

  useEffect(() => {
    if (!speaking) return;
    return () => window.speechSynthesis.cancel();
  }, [speaking]);

  if (!supported) return null;

  const start = () => {
    const synth = window.speechSynthesis;
    synth.cancel();
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || 'en-GB';
    utterance.rate = 0.9;
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(utterance);
  };

  return speaking ? (
    <Button size="lg" variant="light" leftSection={<IconPlayerStopFilled size={22} aria-hidden="true" />} onClick={() => { window.speechSynthesis.cancel(); setSpeaking(false); }} data-testid="patient-read-aloud" className="no-print">
      Stop reading
    </Button>
  ) : (
    <Button size="lg" variant="light" leftSection={<IconVolume size={22} aria-hidden="true" />} onClick={start} aria-label={`Read aloud: ${label}`} data-testid="patient-read-aloud" className="no-print">
      Read aloud
    </Button>
  );
}
