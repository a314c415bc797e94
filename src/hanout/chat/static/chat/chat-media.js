// The chat page, part 2: attachments. Images as thumbnails that open full size in a viewer,
// files as download links (never shown inline), voice messages recorded by holding the mic
// button (release sends, sliding away cancels) and played with their waveform.
(function () {
  "use strict";

  const C = window.HanoutChat;
  const { el, icon, _ } = C;

  const WAVE_BARS = 64; // ≤ 128 values, 0–100 (the server's limit)
  const CANCEL_DISTANCE = 80; // px towards the line's start (left in LTR, right in RTL)
  const MIN_VOICE_MS = 600;
  const MAX_VOICE_MS = 10 * 60 * 1000;

  // --- showing attachments ------------------------------------------------------------------------
  C.renderAttachment = function (att) {
    if (att.kind === "image") return image(att);
    if (att.kind === "voice") return voice(att);
    return file(att);
  };

  function image(att) {
    const ratio = att.width && att.height ? att.width / att.height : 4 / 3;
    const width = Math.round(Math.min(260, 200 * ratio));
    const img = el("img", {
      src: att.thumbnail_url || att.url,
      alt: att.original_name,
      loading: "lazy",
      width,
      height: Math.round(width / ratio),
      class: "chat-thumb",
    });
    return el(
      "a",
      {
        href: att.url,
        class: "chat-image d-inline-block",
        title: _("Open the picture"),
        onclick: (event) => {
          event.preventDefault();
          C.openViewer(att);
        },
      },
      img
    );
  }

  function file(att) {
    return el(
      "a",
      { href: att.url, download: att.original_name, class: "chat-file", rel: "noopener" },
      icon("file-earmark-arrow-down", "fs-4"),
      el(
        "span",
        { class: "chat-file-text" },
        el("bdi", { class: "chat-file-name text-break", text: att.original_name }),
        el("span", { class: "chat-file-size small text-body-secondary", text: C.size(att.size) })
      )
    );
  }

  // The waveform as SVG bars; `progress` (0–1) colours the part already played.
  function waveSvg(values, count) {
    const ns = "http://www.w3.org/2000/svg";
    const bars = values && values.length ? values : new Array(count || 32).fill(12);
    const svg = document.createElementNS(ns, "svg");
    const w = bars.length * 3;
    svg.setAttribute("viewBox", `0 0 ${w} 32`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "chat-wave");
    svg.setAttribute("aria-hidden", "true");
    bars.forEach((v, i) => {
      const h = Math.max(2, Math.round((Math.min(100, Math.max(0, v)) / 100) * 30));
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(i * 3));
      rect.setAttribute("y", String(16 - h / 2));
      rect.setAttribute("width", "2");
      rect.setAttribute("height", String(h));
      rect.setAttribute("rx", "1");
      svg.appendChild(rect);
    });
    return svg;
  }
  C.waveSvg = waveSvg;

  function voice(att) {
    // The server gives a version every browser plays (AAC) as playable_url when it has one.
    const src = att.playable_url || att.url;
    const audio = el("audio", { src, preload: "metadata", class: "chat-audio" });
    const button = el(
      "button",
      { type: "button", class: "btn btn-sm btn-primary rounded-circle chat-play", title: _("Play") },
      icon("play-fill"),
      el("span", { class: "visually-hidden", text: _("Play the voice message") })
    );
    const svg = waveSvg(att.waveform, 40);
    const time = el("span", { class: "chat-voice-time small", dir: "ltr", text: C.duration(att.duration_ms) });
    const bars = Array.from(svg.children);
    const box = el("div", { class: "chat-voice", dataset: { duration: att.duration_ms || "" } }, button, svg, time, audio);

    const total = () =>
      (att.duration_ms || 0) / 1000 || (Number.isFinite(audio.duration) ? audio.duration : 0);
    function paint() {
      const fraction = total() ? Math.min(1, audio.currentTime / total()) : 0;
      const upto = Math.round(fraction * bars.length);
      bars.forEach((bar, i) => bar.classList.toggle("played", i < upto));
      time.textContent = audio.paused && audio.currentTime === 0
        ? C.duration(att.duration_ms || total() * 1000)
        : C.duration(audio.currentTime * 1000);
    }
    function showPlaying(playing) {
      button.replaceChildren(
        icon(playing ? "pause-fill" : "play-fill"),
        el("span", { class: "visually-hidden", text: playing ? _("Pause") : _("Play the voice message") })
      );
      box.classList.toggle("playing", playing);
    }
    button.addEventListener("click", () => {
      if (audio.paused) {
        C.$$("audio.chat-audio").forEach((other) => other !== audio && other.pause());
        audio.play().catch(() => C.emit("error", _("This voice message cannot be played here.")));
      } else audio.pause();
    });
    audio.addEventListener("play", () => showPlaying(true));
    audio.addEventListener("pause", () => showPlaying(false));
    audio.addEventListener("ended", () => {
      audio.currentTime = 0;
      showPlaying(false);
      paint();
    });
    audio.addEventListener("timeupdate", paint);
    audio.addEventListener("error", () => box.classList.add("chat-voice-broken"));
    svg.addEventListener("click", (event) => {
      const rect = svg.getBoundingClientRect();
      let x = (event.clientX - rect.left) / rect.width;
      if (getComputedStyle(svg).direction === "rtl") x = 1 - x;
      if (total()) audio.currentTime = Math.max(0, Math.min(1, x)) * total();
      paint();
    });
    return box;
  }

  // --- the image viewer ---------------------------------------------------------------------------
  C.openViewer = function (att) {
    const dialog = document.getElementById("chat-viewer");
    const img = document.getElementById("chat-viewer-image");
    img.src = att.url;
    img.alt = att.original_name;
    document.getElementById("chat-viewer-title").textContent = att.original_name;
    const download = document.getElementById("chat-viewer-download");
    download.href = att.url;
    download.setAttribute("download", att.original_name);
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  };

  // --- measuring a recording --------------------------------------------------------------------
  // Length and loudness from the decoded audio (MediaRecorder's WebM carries no duration).
  C.measureAudio = async function (blob, fallbackMs) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return { duration_ms: fallbackMs, waveform: [] };
    const ctx = new Ctx();
    try {
      const buffer = await ctx.decodeAudioData(await blob.arrayBuffer());
      const data = buffer.getChannelData(0);
      const bars = Math.min(WAVE_BARS, Math.max(8, data.length));
      const step = Math.floor(data.length / bars) || 1;
      const levels = [];
      for (let b = 0; b < bars; b++) {
        let sum = 0;
        const start = b * step;
        const end = Math.min(data.length, start + step);
        for (let i = start; i < end; i++) sum += data[i] * data[i];
        levels.push(Math.sqrt(sum / Math.max(1, end - start)));
      }
      const peak = Math.max(...levels, 1e-6);
      return {
        duration_ms: Math.max(1, Math.round(buffer.duration * 1000)),
        waveform: levels.map((v) => Math.max(0, Math.min(100, Math.round((v / peak) * 100)))),
      };
    } catch (e) {
      return { duration_ms: fallbackMs, waveform: [] };
    } finally {
      if (ctx.close) ctx.close().catch(() => {});
    }
  };

  // --- recording: press and hold --------------------------------------------------------------
  // States: idle → starting (asking for the microphone) → recording → idle. Releasing while
  // starting stops as soon as the recorder runs; sliding away cancels at any point.
  C.setupRecorder = function ({ button, panel, timeLabel, onRecorded }) {
    if (!button) return;
    const supported = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder);
    if (!supported) {
      button.disabled = true;
      button.title = window.isSecureContext
        ? _("This browser cannot record voice messages.")
        : _("Voice messages need a secure (HTTPS) connection.");
      return;
    }
    let state = "idle";
    let startX = 0;
    let startY = 0;
    let cancelled = false;
    let released = false;
    let recorder = null;
    let stream = null;
    let chunks = [];
    let startedAt = 0;
    let ticker = null;
    const rtl = () => getComputedStyle(button).direction === "rtl";

    function mimeType() {
      const options = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
      return options.find((t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t)) || "";
    }
    function show(on) {
      panel.hidden = !on;
      button.classList.toggle("recording", on);
      C.root.classList.toggle("chat-is-recording", on);
    }
    function tick() {
      timeLabel.textContent = C.duration(Date.now() - startedAt);
      if (Date.now() - startedAt > MAX_VOICE_MS) finish();
    }
    function cleanup() {
      clearInterval(ticker);
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      recorder = null;
      state = "idle";
      show(false);
      panel.classList.remove("cancelling");
    }
    async function start(event) {
      if (state !== "idle" || event.button > 0) return;
      event.preventDefault();
      try {
        button.setPointerCapture(event.pointerId);
      } catch (e) {
        /* capture is a nicety */
      }
      state = "starting";
      startX = event.clientX;
      startY = event.clientY;
      cancelled = false;
      released = false;
      chunks = [];
      startedAt = Date.now();
      timeLabel.textContent = "0:00";
      show(true);
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        cleanup();
        C.emit("error", _("The microphone is not available (allow it in the browser's settings)."));
        return;
      }
      if (cancelled) {
        cleanup();
        return;
      }
      const type = mimeType();
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (e) => e.data && e.data.size && chunks.push(e.data));
      recorder.addEventListener("stop", stopped);
      startedAt = Date.now();
      recorder.start(250);
      state = "recording";
      ticker = setInterval(tick, 200);
      tick();
      if (released) finish();
    }
    function finish() {
      released = true;
      if (state === "recording" && recorder && recorder.state !== "inactive") recorder.stop();
    }
    async function stopped() {
      const elapsed = Date.now() - startedAt;
      const type = (recorder && recorder.mimeType) || "audio/webm";
      const wasCancelled = cancelled;
      cleanup();
      if (wasCancelled) return;
      if (elapsed < MIN_VOICE_MS) {
        C.emit("notice", _("Hold the button down while you speak."));
        return;
      }
      const blob = new Blob(chunks, { type });
      const measured = await C.measureAudio(blob, elapsed);
      const ext = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
      onRecorded({ blob, name: `voice-message.${ext}`, ...measured });
    }
    function move(event) {
      if (state === "idle") return;
      const dx = (event.clientX - startX) * (rtl() ? 1 : -1); // towards the line's start
      const far = dx > CANCEL_DISTANCE || Math.abs(event.clientY - startY) > CANCEL_DISTANCE * 2;
      panel.classList.toggle("cancelling", far);
      if (far && !cancelled) {
        cancelled = true;
        C.emit("notice", _("Voice message cancelled."));
        if (recorder && recorder.state !== "inactive") recorder.stop();
      }
    }
    function up() {
      if (state === "idle") return;
      if (cancelled) return;
      finish();
    }
    button.addEventListener("pointerdown", start);
    button.addEventListener("pointermove", move);
    button.addEventListener("pointerup", up);
    button.addEventListener("pointercancel", () => {
      cancelled = true;
      if (recorder && recorder.state !== "inactive") recorder.stop();
    });
    // A click alone (keyboard, or a quick tap) explains the gesture instead of recording.
    button.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        C.emit("notice", _("Hold the button down while you speak."));
      }
    });
    button.addEventListener("contextmenu", (event) => event.preventDefault());
    C.recorder = { state: () => state };
  };
})();
