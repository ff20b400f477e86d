'use strict';
/*
 * The citation picker on the statement page of FactDB's admin.
 *
 * Each citation row gets its source's text in a panel once a source is chosen;
 * selecting a passage there fills the row's quote and start (prefix and suffix are
 * cleared: the offset picks the passage). Whatever fills the quote (a selection, a
 * paste, typing), a preview under it shows where saving will locate it, or the
 * error saving would give: the server checks the row with the admin's own form.
 *
 * Without this script the form works as before: the server locates the quote on
 * save. Data comes from data- attributes (#citation-picker-config) and admin JSON
 * views; nothing is inline, so a strict Content-Security-Policy allows it.
 *
 * Stable hooks (for tests): per row prefix P (e.g. "citations-0"):
 *   #P-picker (details.citation-picker), #P-picker-text (.citation-picker-text,
 *   data-source, data-state="loading|loaded|error"), #P-picker-status,
 *   #P-preview (.citation-preview, data-state="empty|loading|ok|error",
 *   data-start, data-end) with .citation-preview-before, .citation-preview-quote,
 *   .citation-preview-after, .citation-preview-offsets or .citation-preview-error.
 */
{
    const LOCATING = ['quote', 'prefix', 'suffix', 'start'];
    const rows = new Map();

    function urlFor(template, sourceId) {
        return template.replace('{id}', encodeURIComponent(sourceId));
    }

    function element(tag, attributes, text) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes || {})) {
            node.setAttribute(name, value);
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    async function getJSON(url) {
        const response = await fetch(url, {
            credentials: 'same-origin',
            headers: {Accept: 'application/json'},
        });
        let data;
        try {
            data = await response.json();
        } catch (error) {
            data = {error: `The server answered ${response.status} without JSON.`};
        }
        return {ok: response.ok, data};
    }

    // Characters of source text before (node, offset) inside root, leaving out the
    // statement numbers after each passage (sup.refs), which are not source text.
    function textOffset(root, node, offset) {
        const range = document.createRange();
        range.setStart(root, 0);
        range.setEnd(node, offset);
        const fragment = range.cloneContents();
        fragment.querySelectorAll('sup.refs').forEach((sup) => sup.remove());
        return fragment.textContent.length;
    }

    function shownText(root) {
        const copy = root.cloneNode(true);
        copy.querySelectorAll('sup.refs').forEach((sup) => sup.remove());
        return copy.textContent;
    }

    class Row {
        constructor(prefix, config) {
            this.prefix = prefix;
            this.config = config;
            this.field = (name) => document.querySelector(`[name="${prefix}-${name}"]`);
            this.source = this.field('source');
            this.text = '';
            this.ticket = 0;
            this.timer = null;
            this.build();
        }

        get saved() {
            const id = this.field('id');
            return Boolean(id && id.value);
        }

        build() {
            const sourceRow = this.source.closest('.form-row');
            const quoteRow = this.field('quote').closest('.form-row');
            this.picker = element('details', {
                class: 'citation-picker',
                id: `${this.prefix}-picker`,
                'data-row': this.prefix,
            });
            this.picker.open = !this.saved;
            this.picker.append(
                element('summary', {}, 'Source text: select the passage to quote'),
            );
            this.status = element('p', {
                class: 'citation-picker-status help',
                id: `${this.prefix}-picker-status`,
                role: 'status',
            });
            this.panel = element('div', {
                class: 'citation-picker-text',
                id: `${this.prefix}-picker-text`,
                tabindex: '0',
                'aria-label': 'The source text; select a passage to quote it',
            });
            this.picker.append(this.status, this.panel);
            sourceRow.after(this.picker);
            this.preview = element('div', {
                class: 'citation-preview',
                id: `${this.prefix}-preview`,
                'data-state': 'empty',
                'aria-live': 'polite',
            });
            quoteRow.append(this.preview);

            this.picker.addEventListener('toggle', () => this.loadText());
            this.panel.addEventListener('mouseup', () => this.pick());
            this.panel.addEventListener('keyup', () => this.pick());
        }

        sourceChanged() {
            this.loadText();
            this.schedulePreview(0);
        }

        async loadText() {
            const sourceId = this.source.value;
            if (!sourceId) {
                this.text = '';
                this.panel.replaceChildren();
                delete this.panel.dataset.source;
                this.status.textContent = 'Choose a source to read its text here.';
                return;
            }
            if (!this.picker.open || this.panel.dataset.source === sourceId) {
                return;
            }
            this.panel.dataset.source = sourceId;
            this.panel.dataset.state = 'loading';
            this.status.textContent = 'Loading the source text\u2026';
            const {ok, data} = await getJSON(urlFor(this.config.textUrl, sourceId));
            if (this.source.value !== sourceId) {
                return; // another source was chosen meanwhile
            }
            if (!ok) {
                this.panel.dataset.state = 'error';
                this.panel.replaceChildren();
                this.status.textContent = data.error;
                return;
            }
            this.render(data);
        }

        render(data) {
            this.text = data.text;
            // The HTML is the server's escaped rendering (the same marks as the
            // source's page); the exact text stays the reference for offsets.
            this.panel.innerHTML = data.html;
            if (shownText(this.panel) !== data.text) {
                this.panel.replaceChildren(document.createTextNode(data.text));
            }
            this.panel.dataset.state = 'loaded';
            this.status.textContent = data.text
                ? `${data.citations.length} passage(s) already cited are highlighted.`
                : 'This source has no stored text to quote from yet.';
        }

        pick() {
            const selection = window.getSelection();
            if (!this.text || !selection.rangeCount || selection.isCollapsed) {
                return;
            }
            const range = selection.getRangeAt(0);
            if (!this.panel.contains(range.commonAncestorContainer)) {
                return;
            }
            let start = textOffset(this.panel, range.startContainer, range.startOffset);
            let end = textOffset(this.panel, range.endContainer, range.endOffset);
            // The server strips a quote's surrounding space before locating it.
            while (start < end && /\s/.test(this.text[start])) start += 1;
            while (end > start && /\s/.test(this.text[end - 1])) end -= 1;
            if (start >= end) {
                return;
            }
            this.field('quote').value = this.text.slice(start, end);
            // Offsets are counted in code points on the server, in UTF-16 units here.
            this.field('start').value = String(Array.from(this.text.slice(0, start)).length);
            this.field('prefix').value = '';
            this.field('suffix').value = '';
            this.schedulePreview(0);
        }

        schedulePreview(delay) {
            window.clearTimeout(this.timer);
            this.timer = window.setTimeout(() => this.runPreview(), delay);
        }

        async runPreview() {
            const sourceId = this.source.value;
            const quote = this.field('quote').value;
            const ticket = ++this.ticket;
            if (!sourceId || !quote.trim()) {
                this.showPreview('empty');
                return;
            }
            const params = new URLSearchParams();
            for (const name of LOCATING) {
                params.set(name, this.field(name).value);
            }
            if (this.saved) {
                params.set('citation', this.field('id').value);
            }
            this.showPreview('loading', element('span', {}, 'Locating the quote\u2026'));
            const url = `${urlFor(this.config.locateUrl, sourceId)}?${params}`;
            const {ok, data} = await getJSON(url);
            if (ticket !== this.ticket) {
                return; // a newer preview is on its way
            }
            if (!ok) {
                this.showPreview(
                    'error',
                    element('p', {class: 'citation-preview-error'}, data.error),
                );
                return;
            }
            const context = element('span', {class: 'citation-preview-context'});
            context.append(
                element('span', {class: 'citation-preview-before'}, data.before),
                element('strong', {class: 'citation-preview-quote'}, data.quote),
                element('span', {class: 'citation-preview-after'}, data.after),
            );
            const line = element('p', {}, 'Will be saved as: ');
            line.append(
                context,
                element(
                    'span',
                    {class: 'citation-preview-offsets'},
                    ` (offsets ${data.start}\u2013${data.end})`,
                ),
            );
            this.showPreview('ok', line);
            this.preview.dataset.start = data.start;
            this.preview.dataset.end = data.end;
        }

        showPreview(state, content) {
            this.preview.dataset.state = state;
            delete this.preview.dataset.start;
            delete this.preview.dataset.end;
            this.preview.replaceChildren(...(content ? [content] : []));
        }
    }

    function rowPrefix(name) {
        const match = /^(.+-\d+)-(source|quote|prefix|suffix|start)$/.exec(name || '');
        return match ? match[1] : null;
    }

    function addRow(sourceSelect, config) {
        const prefix = rowPrefix(sourceSelect.name);
        if (!prefix || prefix.includes('__prefix__') || rows.has(prefix)) {
            return;
        }
        const row = new Row(prefix, config);
        rows.set(prefix, row);
        row.loadText();
        // A saved row shows its quote in context already; a new one may come
        // back filled from a refused save.
        if (!row.saved) {
            row.schedulePreview(0);
        }
    }

    function onFieldChange(event) {
        const prefix = rowPrefix(event.target.name);
        const row = prefix && rows.get(prefix);
        if (!row) {
            return;
        }
        if (event.target === row.source) {
            row.sourceChanged();
        } else {
            row.schedulePreview(400);
        }
    }

    document.addEventListener('DOMContentLoaded', () => {
        const configNode = document.getElementById('citation-picker-config');
        if (!configNode) {
            return;
        }
        const config = configNode.dataset;
        const selects = 'select[name^="citations-"][name$="-source"]';
        document.querySelectorAll(selects).forEach((select) => addRow(select, config));
        document.addEventListener('formset:added', (event) => {
            event.target.querySelectorAll(selects).forEach((s) => addRow(s, config));
        });
        document.addEventListener('input', onFieldChange);
        // The source is a select2 autocomplete, whose changes are jQuery events.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(document).on('change', selects, onFieldChange);
        } else {
            document.addEventListener('change', onFieldChange);
        }
    });
}
