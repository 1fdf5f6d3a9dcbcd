// The image picker: a thumbnail beside each result and beside the chosen image.
// Loaded after Django's autocomplete.js and before its widgets start (on DOM ready), so
// select2's defaults reach every picker, those of inline rows added later too. Anything
// without a thumbnail (another autocomplete on the page) is drawn as text, as before.
'use strict';
{
    const $ = window.django && window.django.jQuery;
    if ($ && $.fn.select2) {
        const thumbnailOf = (item) => {
            if (item.thumbnail) {
                return item.thumbnail;
            }
            const option = item.element;
            if (!option || !item.id) {
                return '';
            }
            const select = option.closest('select');
            const template = select && select.dataset.thumbnailTemplate;
            return option.dataset.thumbnail || (template ? template.replace('__id__', encodeURIComponent(item.id)) : '');
        };

        const withThumbnail = (item) => {
            const src = thumbnailOf(item);
            if (!src || item.loading) {
                return item.text;
            }
            const choice = document.createElement('span');
            choice.className = 'image-choice';
            const picture = document.createElement('img');
            picture.className = 'image-choice-thumb';
            picture.src = src;
            picture.alt = '';
            picture.width = 40;
            picture.height = 40;
            picture.loading = 'lazy';
            const label = document.createElement('span');
            label.className = 'image-choice-label';
            label.textContent = item.text;
            choice.append(picture, label);
            return $(choice);
        };

        $.fn.select2.defaults.set('templateResult', withThumbnail);
        $.fn.select2.defaults.set('templateSelection', withThumbnail);
    }
}
