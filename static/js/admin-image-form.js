// The image's change form: click on the picture to set the focal point, and hints about
// the alt text as the editor types. The number boxes stay the keyboard's way to the
// focal point; the hints' sentences come from the server (data-hint-* attributes), the
// patterns repeat cms/media/alt_text.py.
'use strict';
{
    const say = (text) => (window.gettext ? window.gettext(text) : text);

    function focalPicker() {
        const picker = document.querySelector('[data-focal-picker]');
        const x = document.getElementById('id_focal_x');
        const y = document.getElementById('id_focal_y');
        if (!picker || !x || !y) {
            return;
        }
        const picture = picker.querySelector('img');
        const marker = picker.querySelector('.focal-marker');
        const status = document.querySelector('[data-focal-status]');
        const read = (input) => {
            const value = parseFloat(input.value);
            return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
        };
        const place = () => {
            const fx = read(x);
            const fy = read(y);
            marker.hidden = fx === null && fy === null;
            marker.style.left = `${(fx ?? 0.5) * 100}%`;
            marker.style.top = `${(fy ?? 0.5) * 100}%`;
        };
        const clamp = (value) => Math.min(1, Math.max(0, value));
        picker.addEventListener('click', (event) => {
            const box = picture.getBoundingClientRect();
            const fx = clamp((event.clientX - box.left) / box.width);
            const fy = clamp((event.clientY - box.top) / box.height);
            x.value = fx.toFixed(3);
            y.value = fy.toFixed(3);
            for (const input of [x, y]) {
                input.dispatchEvent(new Event('input', {bubbles: true}));
                input.dispatchEvent(new Event('change', {bubbles: true}));
            }
            place();
            if (status) {
                const text = say('Focal point set: %(across)s across, %(down)s down. Save to apply.');
                const values = {across: `${Math.round(fx * 100)}%`, down: `${Math.round(fy * 100)}%`};
                status.textContent = text.replace(/%\((across|down)\)s/g, (_match, key) => values[key]);
            }
        });
        x.addEventListener('input', place);
        y.addEventListener('input', place);
        place();
    }

    const FILE_NAME = /^(img|dsc|dscn|dscf|dji|gopr|pxl|mvimg|screenshot|screen shot)[ _-]?[0-9]|\.(jpe?g|png|gif|webp|avif|heic|heif|tiff?|bmp)$/i;
    const REDUNDANT_PREFIX = /^(an? |the )?(image|picture|photo|photograph|pic) of( |$)/i;

    function altTextHints() {
        const box = document.querySelector('[data-alt-text-hints]');
        const alt = document.getElementById('id_alt_text');
        if (!box || !alt) {
            return;
        }
        const list = box.querySelector('ul');
        let shown = Array.from(list.children, (item) => item.textContent).join('\n');
        const update = () => {
            const text = alt.value.trim();
            const hints = [];
            if (box.dataset.hintToReview) {
                hints.push(box.dataset.hintToReview);
            }
            if (!text) {
                hints.push(box.dataset.hintEmpty);
            } else {
                if (FILE_NAME.test(text)) {
                    hints.push(box.dataset.hintFileName);
                }
                if (REDUNDANT_PREFIX.test(text)) {
                    hints.push(box.dataset.hintRedundantPrefix);
                }
            }
            const lines = hints.length ? hints : [box.dataset.looksFine];
            if (lines.join('\n') === shown) {
                return; // the live region speaks only when the hints change
            }
            shown = lines.join('\n');
            list.replaceChildren(...lines.map((line) => {
                const item = document.createElement('li');
                item.textContent = line;
                return item;
            }));
            box.classList.toggle('has-hints', hints.length > 0);
        };
        let timer;
        alt.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(update, 400);
        });
        alt.addEventListener('change', update);
        alt.setAttribute('aria-describedby', [alt.getAttribute('aria-describedby'), 'alt-text-hints'].filter(Boolean).join(' '));
    }

    function ready(fn) {
        if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', fn);
        } else {
            fn();
        }
    }

    ready(() => {
        focalPicker();
        altTextHints();
    });
}
