"""The NER model and the entities stage on sentences written for these tests."""

from __future__ import annotations

from marsad.core.article import Block
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline
from marsad.stages.entities import find_mentions
from marsad.stages.ner import data
from marsad.stages.ner.features import Features, shape
from marsad.stages.ner.model import load

SETTINGS = load_settings()
PIPE = Pipeline(settings=SETTINGS)


def run(text: str, title: str | None = None):
    art = make_article(text, id="t", path=None, settings=SETTINGS, title=title)
    return PIPE(art)


def test_tag_mapping():
    assert data.map_aner("PERS") == "PER"
    assert data.map_fane("Politician") == "PER"
    assert data.map_fane("Population-Center") == "LOC"
    assert data.map_fane("Non-Governmental") == "ORG"
    assert data.map_fane("Book") == "MISC"
    assert data.map_fane("Group") is None
    assert data.map_aqmar("MIS2") == "MISC"
    assert data.map_aqmar("-ORG") == "ORG"
    assert data.map_aqmar("ENGLISH") is None
    assert data.split_tag("I--ORG") == ("I", "ORG")
    assert data.split_tag("IO") == ("O", "")


def test_repair_and_spans():
    assert data.repair(["O", "I-PER", "I-PER", "B-LOC", "I-ORG"]) == [
        "O", "B-PER", "I-PER", "B-LOC", "B-ORG",
    ]  # fmt: skip
    assert data.spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG"),
    ]  # fmt: skip


def test_read_conll_formats(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("\ufeff\u200eزار\tO\r\n\u200eباريس\tB-Population-Center\r\n\r\n", "utf-8")
    assert data.read_fane(p) == [[("زار", "O"), ("باريس", "B-LOC")]]
    q = tmp_path / "y.txt"
    q.write_text("قال O\nمحمد I-PERS\nعلي I-PERS\n\nهنا O\n", "utf-8")
    assert data.read_conll(q) == [
        [("قال", "O"), ("محمد", "B-PER"), ("علي", "I-PER")],
        [("هنا", "O")],
    ]


def test_features_strip_clitics_and_window():
    f = Features()
    feats = f.sentence(["وزار", "الرئيس", "وبالقاهرة", "."])
    third = feats[2]
    assert "w=وبالقاهره" in third  # normalised form
    assert "s=قاهره" in third  # clitics و ب ال stripped
    assert "pre=و+ب+ال" in third
    assert "[-1]w=الرييس" in third and "[1]w=." in third and "[-2]s=زار" in third
    assert "BOS" in feats[0] and "EOS" in feats[3] and "EOS" not in third
    assert shape("2018") == "num" and shape("Trump") == "Lat" and shape("«") == "p«"


def test_model_tags_person_and_place():
    tagger = load()
    words = "وقال الرئيس الأمريكي باراك أوباما في واشنطن إن المفاوضات مستمرة .".split()
    ents = {(" ".join(words[s:e]), t) for s, e, t, _ in tagger.entities(words)}
    assert ("باراك أوباما", "PER") in ents, ents
    assert ("واشنطن", "LOC") in ents, ents


def test_mentions_are_verbatim_spans_in_text_order():
    text = (
        "وصل رئيس الوزراء اللبناني فؤاد السنيورة إلى باريس أمس.\n"
        "والتقى السنيورة بالرئيس الفرنسي جاك شيراك في قصر الإليزيه."
    )
    art = run(text)
    ms = art.layers["mentions"]
    assert ms, "no mentions"
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    got = {(text[m.start : m.end], m.type) for m in ms}
    assert ("فؤاد السنيورة", "PER") in got, got
    assert ("باريس", "LOC") in got, got
    for m in ms:
        span = text[m.start : m.end]
        assert span == span.strip() and span, m
        assert 0.0 <= m.confidence <= 1.0


def test_no_mentions_from_boilerplate_blocks():
    text = "زار الرئيس الفرنسي جاك شيراك مدينة بيروت.\nاقرأ أيضا: جاك شيراك في بيروت"
    art = make_article(text, id="t", path=None, settings=SETTINGS)
    art.blocks = [
        Block(0, text.index("\n"), "body"),
        Block(text.index("\n") + 1, len(text), "boilerplate"),
    ]
    from marsad.stages.sentences import sentences_stage
    from marsad.stages.tokens import tokens_stage

    sentences_stage(art, SETTINGS)
    tokens_stage(art, SETTINGS)
    ms = find_mentions(art, SETTINGS)
    assert ms, "the body sentence has entities"
    assert all(m.end <= art.blocks[0].end for m in ms)
    art.blocks[0].kind = "caption"
    assert find_mentions(art, SETTINGS) == []


def _train_tiny(tmp_path, feats, sents):
    """Train a CRF with crfsuite on ``sents`` (word, tag) with ``feats``, export it into
    ``tmp_path``; the numpy tagger read from there and crfsuite's own tagger."""
    import pycrfsuite

    from marsad.stages.ner.model import NerTagger, export_crfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        tr.append(feats.sentence([w for w, _ in s]), [t for _, t in s])
    tr.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 50})
    tr.train(str(tmp_path / "ner.crfsuite"))
    export_crfsuite(tmp_path / "ner.crfsuite", tmp_path / "ner.npz")
    ref = pycrfsuite.Tagger()
    ref.open(str(tmp_path / "ner.crfsuite"))
    return NerTagger(tmp_path), ref


def test_numpy_decoding_matches_crfsuite(tmp_path):
    """Train a tiny CRF on sentences written here, export it, and compare tags and
    marginals of the numpy tagger with crfsuite's own tagger."""
    sents = [
        [("زار", "O"), ("محمد", "B-PER"), ("علي", "I-PER"), ("القاهرة", "B-LOC"), (".", "O")],
        [("قال", "O"), ("وزير", "O"), ("الخارجية", "O"), ("في", "O"), ("باريس", "B-LOC")],
        [("أعلنت", "O"), ("الأمم", "B-ORG"), ("المتحدة", "I-ORG"), ("أن", "O"), ("سمير", "B-PER")],
        [("وصل", "O"), ("سمير", "B-PER"), ("إلى", "O"), ("بغداد", "B-LOC"), ("أمس", "O")],
    ]
    ours, ref = _train_tiny(tmp_path, Features(), sents)
    tests = [
        ["وزار", "محمد", "بغداد", "أمس"],
        ["قال", "سمير", "علي", "في", "القاهرة", "إن", "الأمم", "المتحدة", "."],
        ["باريس"],
    ]
    many = ours.entities_many(tests)
    for words, batch in zip(tests, many, strict=True):
        xseq = ours.features.sentence(words)
        expected = ref.tag(xseq)
        assert ours.tag(words) == expected
        marg = ours.marginals(ours.scores(words))
        for i, lab in enumerate(expected):
            assert abs(marg[i, ours.labels.index(lab)] - ref.marginal(lab, i)) < 1e-4
        single = ours.entities(words)
        assert [x[:3] for x in batch] == [x[:3] for x in single]
        assert all(abs(a[3] - b[3]) < 1e-6 for a, b in zip(batch, single, strict=True))
        assert data.spans(expected) == [x[:3] for x in single]


def test_rank_and_cluster_pair_features_decode_like_crfsuite(tmp_path):
    """With ``rank_features`` and ``cluster_pairs`` in the model's meta.json, the numpy tagger
    adds the ``rk=`` and ``cp-=``/``cp+=`` features exactly as training wrote them: its tags
    and marginals are crfsuite's."""
    import json

    from marsad.stages.ner.clusters import read, write

    vocab = ["في", "إلى", "قال", "محمد", "سمير", "علي", "بغداد", "القاهرة", "باريس", "أمس"]
    kinds = {"في": 1, "إلى": 1, "قال": 2, "محمد": 3, "سمير": 3, "علي": 3, "أمس": 2}
    write({w: (0, kinds.get(w, 4), i) for i, w in enumerate(vocab)}, tmp_path / "clusters.tsv.gz")
    (tmp_path / "meta.json").write_text(json.dumps({"rank_features": True, "cluster_pairs": "c1"}))
    sents = [
        [("زار", "O"), ("محمد", "B-PER"), ("علي", "I-PER"), ("القاهرة", "B-LOC"), (".", "O")],
        [("قال", "O"), ("سمير", "B-PER"), ("في", "O"), ("باريس", "B-LOC")],
        [("وصل", "O"), ("سمير", "B-PER"), ("إلى", "O"), ("بغداد", "B-LOC"), ("أمس", "O")],
    ]
    feats = Features(read(tmp_path / "clusters.tsv.gz"), ranks=True, pairs="c1")
    xs = feats.sentence(["قال", "سمير", "في", "بغداد"])
    assert "rk=3" in xs[1] and "[-1]rk=2" in xs[1]  # سمير is word 4 of the list, قال word 2
    assert "cp+=3|1" in xs[1] and "cp-=2|3" in xs[1] and "cp-=^|2" in xs[0]
    ours, ref = _train_tiny(tmp_path, feats, sents)
    # the tagger's features follow the folder's meta.json, as at run time
    assert ours.features.ranks and ours.features.pairs
    for words in (["قال", "علي", "في", "القاهرة", "أمس"], ["وصل", "محمد", "إلى", "باريس"], ["في"]):
        expected = ref.tag(ours.features.sentence(words))
        assert ours.tag(words) == expected
        marg = ours.marginals(ours.scores(words))
        for i, lab in enumerate(expected):
            assert abs(marg[i, ours.labels.index(lab)] - ref.marginal(lab, i)) < 1e-4


def test_document_propagation_tags_repeated_surname(monkeypatch):
    tagger = load()
    doc = [
        ["قال", "اللاعب", "فرناندو", "زورباخير", "إن", "السباق", "صعب"],
        ["وانتقد", "زورباخير", "الفريق", "وفي", "المساء", "سافر", "زورباخير"],
    ]
    first = [[(2, 4, "PER", 0.95)], []]  # as if the tagger missed the surname alone
    monkeypatch.setattr(tagger, "entities_many", lambda sents: [list(x) for x in first])
    out = tagger.document(doc)
    assert [(s, e, t) for s, e, t, _ in out[1]] == [(1, 2, "PER"), (6, 7, "PER")]
    assert all(c < 0.95 for *_, c in out[1])
    assert tagger.document(doc, propagate=False)[1] == []
    # names tagged with low confidence do not spread
    low = [[(2, 4, "PER", 0.5)], []]
    monkeypatch.setattr(tagger, "entities_many", lambda sents: [list(x) for x in low])
    assert tagger.document(doc)[1] == []


def test_precomputed_table_gives_the_same_result():
    from marsad.stages.ner.model import NerTagger

    tagged = load()
    plain = NerTagger(tagged.folder, use_table=False)
    assert tagged._table, "the packaged model ships table.npz"
    doc = [
        "وقال وزير الخارجية الفرنسي في مؤتمر صحفي بباريس إن الأمم المتحدة ستجتمع .".split(),
        "والتقى الرئيس المصري حسني مبارك بالملك عبد الله في عمان أمس .".split(),
    ]
    for words in doc:
        assert tagged.tag(words) == plain.tag(words)
        for w in words:
            a, b = tagged._word(w), plain._word(w)
            assert a[:2] == b[:2]
            assert abs(a[2] - b[2]).max() < 1e-4


def test_non_arabic_articles_get_no_mentions():
    art = run("Barack Obama met Angela Merkel in Berlin on Monday to discuss trade.")
    assert art.meta.language != "ar"
    assert art.layers["mentions"] == []


def test_document_propagation_of_one_word_organisation(monkeypatch):
    tagger = load()
    assert "ORG" in tagger.meta.get("propagate_types", [])
    doc = [
        ["قررت", "منظمة", "زوربكس", "خفض", "الإنتاج"],
        ["وقالت", "زوربكس", "إن", "السوق", "مستقرة"],
    ]
    first = [[(2, 3, "ORG", 0.9)], []]
    monkeypatch.setattr(tagger, "entities_many", lambda sents: [list(x) for x in first])
    assert [(s, e, t) for s, e, t, _ in tagger.document(doc)[1]] == [(1, 2, "ORG")]


def test_attached_conjunction_is_not_part_of_the_mention():
    from marsad.stages.entities import _proclitic_chars

    lex_stem = load().features.lex_stem
    assert _proclitic_chars("والولايات", lex_stem) == 1  # و + الولايات
    assert _proclitic_chars("بالعراق", lex_stem) == 1  # ب + العراق
    assert _proclitic_chars("وسوريا", lex_stem) == 1
    assert _proclitic_chars("وليد", lex_stem) == 0  # a name that starts with و
    assert _proclitic_chars("للعراق", lex_stem) == 0  # ل + ال: no clean cut
    assert _proclitic_chars("وبايدن", lex_stem) <= 1  # ب of بايدن stays


def test_settings_choose_the_tagger():
    import pytest

    from marsad.core.errors import UsageError
    from marsad.stages.ner.decode import Tagger
    from marsad.stages.ner.tagger import load_tagger

    crf = load_settings(ner={"model": "crf"})
    assert isinstance(load_tagger(crf), Tagger)
    with pytest.raises(UsageError):
        load_tagger(load_settings(ner={"model": "bert"}))


def _tiny_neural(tmp_path):
    """A randomly initialised neural model written as training exports it (no torch needed):
    enough to check the numpy network's plumbing and the decoding interface."""
    import json

    import numpy as np

    from marsad.stages.ner.neural import NeuralTagger, Vectors, WordInputs

    rng = np.random.default_rng(1)
    words = ["محمد", "القاهره", "زار", "الامم", "المتحده"]
    np.savez(tmp_path / "vectors.npz", words=np.array(words),
             q=rng.integers(-100, 100, (len(words), 8)).astype(np.int8),
             scale=np.full(len(words), 0.01, np.float32))  # fmt: skip
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
    chars = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    gaz_keys = ["gPER", "gLOC"]
    feats = Features()
    inputs = WordInputs(Vectors(tmp_path / "vectors.npz"), feats, chars, gaz_keys)
    d_in = 8 + 6 + inputs.n_flags
    h = 5
    r = lambda *s: rng.normal(0, 0.5, s).astype(np.float32)  # noqa: E731
    np.savez(tmp_path / "neural.npz", labels=np.array(labels), char_emb=np.vstack([np.zeros((1, 4)), r(len(chars) + 1, 4)]),
             conv_w=r(12, 6), conv_b=r(6), w_in=r(d_in, 8 * h), b_in=r(8 * h), w_hh=r(2, h, 4 * h),
             w_out=r(2 * h, 9), b_out=r(9), trans=r(9, 9), start=r(9), end=r(9))  # fmt: skip
    meta = {"chars": chars, "gaz_keys": gaz_keys, "propagate_types": ["PER"]}
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    return NeuralTagger(tmp_path, inputs=inputs)


def test_neural_tagger_batches_like_single_sentences(tmp_path):
    """Sentences of different lengths tagged together (padded, the backward direction
    reversed) score exactly as each on its own; the cache changes nothing."""
    import numpy as np

    tagger = _tiny_neural(tmp_path)
    sents = [
        "زار محمد القاهره امس".split(),
        ["الامم"],
        "قالت الامم المتحده ان محمد زار القاهره مع وفد كبير".split(),
    ]
    together = tagger.scores_many(sents)
    for words, e in zip(sents, together, strict=True):
        tagger._cache.clear()
        alone = tagger.scores(words)
        assert e.shape == (len(words), 9)
        assert np.abs(alone - e).max() < 1e-5
    out = tagger.document(sents)
    assert len(out) == 3
    for words, ents in zip(sents, out, strict=True):
        for s, e, t, c in ents:
            assert 0 <= s < e <= len(words) and t in ("PER", "LOC", "ORG", "MISC")
            assert 0.0 <= c <= 1.0 + 1e-9
    assert tagger.lex_of("والقاهره")


def test_neural_export_matches_torch(tmp_path):
    """The numpy network gives the same label scores as the PyTorch one it was exported
    from (skipped without torch: it is only in the train extra)."""
    import pytest

    torch = pytest.importorskip("torch")
    import numpy as np

    from marsad.train import neural as tn

    tagger = _tiny_neural(tmp_path)
    inputs = tagger.inputs
    cfg = {**tn.DEFAULTS, "hidden": 6, "char_dim": 4, "char_out": 5}
    meta = {"chars": tagger.meta["chars"], "gaz_keys": tagger.meta["gaz_keys"]}
    net = tn.build_net(torch, len(meta["chars"]) + 2, 8, inputs.n_flags, cfg)
    torch.nn.init.normal_(net.trans)
    torch.nn.init.normal_(net.start)
    net.eval()
    tn.export(net, tmp_path, inputs, meta)
    ours = tn.NeuralTagger(tmp_path, inputs=inputs)
    enc = tn.Encoded(inputs)
    sents = ["زار محمد القاهره".split(), "قالت الامم المتحده ان وفدا زار".split()]
    ids = [enc.ids(s) for s in sents]
    vec, ch, fl = enc.tensors(torch)
    lens = torch.tensor([len(x) for x in ids])
    idt = torch.zeros((2, int(lens.max())), dtype=torch.long)
    for k, x in enumerate(ids):
        idt[k, : len(x)] = torch.tensor(x)
    with torch.no_grad():
        em = net.emissions(idt, lens, vec, ch, fl).numpy().astype(np.float64)
    for k, e in enumerate(ours.scores_many(sents)):
        ref = em[k, : len(e)].copy()
        ref[0] += net.start.detach().numpy()
        ref[-1] += net.end.detach().numpy()
        assert np.abs(ref - e).max() < 1e-4


def test_neural_finetuned_vectors_and_stem_vector_match_torch(tmp_path):
    """With fine-tuned word-vector corrections (``ft_words``/``ft_delta``) and the lexical
    stem's vector as a second input, numpy still gives PyTorch's label scores."""
    import pytest

    torch = pytest.importorskip("torch")
    import numpy as np

    from marsad.stages.ner.neural import WordInputs
    from marsad.train import neural as tn

    tiny = _tiny_neural(tmp_path)
    inputs = WordInputs(tiny.inputs.vectors, tiny.inputs.features, tiny.meta["chars"],
                        tiny.meta["gaz_keys"], stem_vector=True)  # fmt: skip
    cfg = {**tn.DEFAULTS, "hidden": 6, "char_dim": 4, "char_out": 5, "stem_vector": True}
    meta = {"chars": tiny.meta["chars"], "gaz_keys": tiny.meta["gaz_keys"], "config": cfg}
    ft_words = ["محمد", "زار"]
    net = tn.build_net(torch, len(meta["chars"]) + 2, inputs.dim, inputs.n_flags, cfg,
                       n_ft=3, d_ft=inputs.vectors.dim)  # fmt: skip
    with torch.no_grad():
        net.delta.weight[1:] = torch.randn(2, inputs.vectors.dim)
    net.eval()
    tn.export(net, tmp_path, inputs, meta, ft_words)
    ours = tn.NeuralTagger(tmp_path, inputs=inputs)
    assert set(ours._delta) == set(ft_words)
    assert tn.NeuralTagger(tmp_path).inputs.stem_vector  # read back from meta.json
    enc = tn.Encoded(inputs)
    sents = ["زار محمد والقاهره".split(), "قالت الامم المتحده ان محمد زار".split()]
    ids = [enc.ids(s) for s in sents]
    vec, ch, fl = enc.tensors(torch)
    ft_of = torch.tensor([ft_words.index(n) + 1 if n in ft_words else 0 for n in enc.norms])
    lens = torch.tensor([len(x) for x in ids])
    idt = torch.zeros((2, int(lens.max())), dtype=torch.long)
    for k, x in enumerate(ids):
        idt[k, : len(x)] = torch.tensor(x)
    with torch.no_grad():
        em = net.emissions(idt, lens, vec, ch, fl, ft_of[idt]).numpy().astype(np.float64)
    for k, e in enumerate(ours.scores_many(sents)):
        ref = em[k, : len(e)].copy()
        ref[0] += net.start.detach().numpy()
        ref[-1] += net.end.detach().numpy()
        assert np.abs(ref - e).max() < 1e-2  # the corrections ship as float16


class _FakeCrf:
    """Stands in for the CRF beside a learned stack: labels in another order and fixed,
    word-dependent marginals (what :class:`NeuralTagger` reads of it)."""

    labels = ("B-LOC", "O", "I-LOC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-MISC", "I-MISC")

    def marginals_many(self, sentences):
        import numpy as np

        out = []
        for s in sentences:
            p = np.array([[(len(w) * (j + 1)) % 7 + 1.0 for j in range(9)] for w in s])
            out.append(p / p.sum(axis=1, keepdims=True))
        return out


def test_learned_stack_reads_the_crf_marginals_like_torch(tmp_path):
    """A network trained with ``--crf-input`` (the CRF's marginals as a per-token input after
    the word inputs) gives PyTorch's label scores in numpy, with the CRF's labels put in the
    network's order; the marginals change the scores."""
    import pytest

    torch = pytest.importorskip("torch")
    import numpy as np

    from marsad.train import neural as tn

    tiny = _tiny_neural(tmp_path)
    inputs = tiny.inputs
    cfg = {**tn.DEFAULTS, "hidden": 6, "char_dim": 4, "char_out": 5}
    meta = {"chars": tiny.meta["chars"], "gaz_keys": tiny.meta["gaz_keys"], "crf_input": {"folds": 2}}
    net = tn.build_net(torch, len(meta["chars"]) + 2, 8, inputs.n_flags, cfg, n_crf=9)
    net.eval()
    tn.export(net, tmp_path, inputs, meta)
    with np.load(tmp_path / "neural.npz") as z:
        assert z["w_crf"].shape == (9, 8 * 6)
    fake = _FakeCrf()
    ours = tn.NeuralTagger(tmp_path, inputs=inputs, crf=fake)
    enc = tn.Encoded(inputs)
    sents = ["زار محمد القاهره".split(), "قالت الامم المتحده ان وفدا زار".split()]
    ids = [enc.ids(s) for s in sents]
    vec, ch, fl = enc.tensors(torch)
    lens = torch.tensor([len(x) for x in ids])
    m = int(lens.max())
    idt = torch.zeros((2, m), dtype=torch.long)
    crf_in = torch.zeros((2, m, 9))
    perm = [fake.labels.index(lab) for lab in tn.LABELS]
    for k, (x, p) in enumerate(zip(ids, fake.marginals_many(sents), strict=True)):
        idt[k, : len(x)] = torch.tensor(x)
        crf_in[k, : len(x)] = torch.from_numpy(p[:, perm].astype(np.float32))
    with torch.no_grad():
        em = net.emissions(idt, lens, vec, ch, fl, None, crf_in).numpy().astype(np.float64)
        em0 = net.emissions(idt, lens, vec, ch, fl, None, torch.zeros_like(crf_in)).numpy()
    assert np.abs(em - em0).max() > 1e-3
    for k, e in enumerate(ours.scores_many(sents)):
        ref = em[k, : len(e)].copy()
        ref[0] += net.start.detach().numpy()
        ref[-1] += net.end.detach().numpy()
        assert np.abs(ref - e).max() < 1e-4


def test_marginals_many_match_one_sentence_at_a_time(tmp_path):
    """Batched forward–backward (padded sentences) gives each sentence's own marginals."""
    import numpy as np

    tagger = _tiny_neural(tmp_path)
    sents = ["زار محمد القاهره امس".split(), ["الامم"], "قالت الامم المتحده ان محمد زار".split()]
    for words, p in zip(sents, tagger.marginals_many(sents), strict=True):
        assert np.abs(tagger.marginals(tagger.scores(words)) - p).max() < 1e-9
