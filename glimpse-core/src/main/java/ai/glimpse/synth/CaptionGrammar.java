package ai.glimpse.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes five distinct reference captions for a scene, as five people would describe it in COCO: the
 * same facts (each object's shape noun and colour, its size where that tells look-alikes apart, a
 * correct spatial relation for two or three objects, the background) in varied wordings, from a
 * vocabulary of under a hundred words. Look-alike objects (same shape, colour and size) are counted
 * ("two red squares"); a relation to such a group is only stated when it holds for every member.
 * Animal captions always name the ground, the shortcut the snow variant's test split exposes.
 */
public final class CaptionGrammar {
    public static final int CAPTIONS_PER_IMAGE = 5;
    /** How many of the five captions state a spatial relation when the scene has one to state. */
    static final int RELATION_CAPTIONS = 3;
    private static final double BACKGROUND_CHANCE = 0.85;
    private static final int MAX_ATTEMPTS = 1000;
    private static final List<String> LEADS = List.of("a picture of ", "an image showing ", "a photo of ");
    private static final List<String> COUNTS = List.of("", "", "two", "three");

    /** Objects that look the same (figure, colour, size): named once, with a number word when more than one. */
    private record Group(List<SceneObject> members) {
        SceneObject first() {
            return members.get(0);
        }

        List<Box> boxes() {
            return members.stream().map(SceneObject::box).toList();
        }
    }

    private final List<Group> groups;
    private final SplittableRandom random;
    private final boolean animal;

    private CaptionGrammar(Scene scene, SplittableRandom random) {
        this.groups = group(scene.objects());
        this.random = random;
        this.animal = scene.objects().get(0).figure() instanceof Animal;
    }

    /** Five distinct captions for {@code scene}, every choice of wording taken from {@code random}. */
    public static List<String> captions(Scene scene, SplittableRandom random) {
        CaptionGrammar grammar = new CaptionGrammar(scene, random);
        Background background = scene.background();
        Set<String> captions = new LinkedHashSet<>();
        for (int attempt = 0; captions.size() < CAPTIONS_PER_IMAGE; attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("found only " + captions.size() + " distinct captions for " + scene);
            }
            boolean relate = captions.size() < RELATION_CAPTIONS && grammar.canRelate();
            captions.add(sentence(grammar.caption(background, relate)));
        }
        List<String> result = new ArrayList<>(captions);
        for (int i = result.size() - 1; i > 0; i--) {
            Collections.swap(result, i, random.nextInt(i + 1));
        }
        return List.copyOf(result);
    }

    private String caption(Background background, boolean relate) {
        boolean withSize = random.nextBoolean();
        String body = animal ? animalBody() : relate ? relationBody(withSize) : listBody(withSize, random.nextBoolean());
        String place = pick(background.phrases());
        String tail = animal || random.nextDouble() < BACKGROUND_CHANCE ? " " + place : "";
        boolean plural = startsPlural(body);
        return switch (random.nextInt(4)) {
            case 0 -> place + (plural ? " there are " : " there is ") + body;
            case 1 -> (plural ? "there are " : "there is ") + body + tail;
            case 2 -> pick(LEADS) + body + tail;
            default -> body + tail;
        };
    }

    private String animalBody() {
        SceneObject a = groups.get(0).first();
        String colour = random.nextBoolean() ? a.colour().word() + " " : "";
        String standing = random.nextBoolean() ? " standing" : "";
        return article(colour + a.figure().noun()) + standing;
    }

    /** Whether some statement of place can be made: a relation between groups, or within a pair of look-alikes. */
    private boolean canRelate() {
        return !animal && (!relatedPairs().isEmpty() || groups.stream().anyMatch(g -> !pairPhrases(g).isEmpty()));
    }

    /** "X rel Y", and for a third group "and Z rel the X"; or a list naming how a look-alike pair stands. */
    private String relationBody(boolean withSize) {
        List<Group[]> pairs = relatedPairs();
        if (pairs.isEmpty()) {
            return listBody(withSize, true);
        }
        Group[] pair = pairs.get(random.nextInt(pairs.size()));
        String body = clause(pair[0], pair[1], withSize, false);
        for (Group third : groups) {
            if (third != pair[0] && third != pair[1]) {
                Group reference = pair[random.nextInt(2)];
                if (Relation.holdingForAll(third.boxes(), reference.boxes()).isEmpty()) {
                    reference = reference == pair[0] ? pair[1] : pair[0];
                }
                body += Relation.holdingForAll(third.boxes(), reference.boxes()).isEmpty()
                        ? " and " + mention(third, withSize, false)
                        : " and " + clause(third, reference, withSize, true);
            }
        }
        return body;
    }

    private String clause(Group subject, Group object, boolean withSize, boolean objectKnown) {
        List<Relation> holding = Relation.holdingForAll(subject.boxes(), object.boxes());
        String phrase = pick(pick(holding).phrases());
        return mention(subject, withSize, false) + " " + phrase + " " + mention(object, withSize, objectKnown);
    }

    /** "X", "X and Y" or "X, Y and Z" in a random order; look-alike pairs may say how they stand. */
    private String listBody(boolean withSize, boolean placePairs) {
        List<Group> order = new ArrayList<>(groups);
        for (int i = order.size() - 1; i > 0; i--) {
            Collections.swap(order, i, random.nextInt(i + 1));
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            if (i > 0) {
                body.append(i == order.size() - 1 ? " and " : ", ");
            }
            Group g = order.get(i);
            body.append(mention(g, withSize, false));
            List<String> pairPhrases = pairPhrases(g);
            if (placePairs && !pairPhrases.isEmpty()) {
                body.append(' ').append(pick(pairPhrases));
            }
        }
        return body.toString();
    }

    /** Ordered pairs of distinct groups with a relation that holds for all their members, in scene order. */
    private List<Group[]> relatedPairs() {
        List<Group[]> pairs = new ArrayList<>();
        for (Group s : groups) {
            for (Group o : groups) {
                if (s != o && !Relation.holdingForAll(s.boxes(), o.boxes()).isEmpty()) {
                    pairs.add(new Group[] {s, o});
                }
            }
        }
        return pairs;
    }

    private static List<String> pairPhrases(Group g) {
        return g.members().size() == 2 ? Relation.pairPhrases(g.members().get(0).box(), g.members().get(1).box()) : List.of();
    }

    /** E.g. "a red circle", "an orange star", "the small blue square", "two large green triangles". */
    private String mention(Group g, boolean withSize, boolean known) {
        SceneObject o = g.first();
        int count = g.members().size();
        boolean sized = withSize || groups.stream().anyMatch(other -> other != g
                && other.first().figure() == o.figure() && other.first().colour() == o.colour());
        String words = (sized ? o.size().word() + " " : "") + o.colour().word() + " "
                + (count == 1 ? o.figure().noun() : o.figure().plural());
        if (count == 1) {
            return known ? "the " + words : article(words);
        }
        return (known ? "the " : "") + COUNTS.get(count) + " " + words;
    }

    private static List<Group> group(List<SceneObject> objects) {
        List<List<SceneObject>> lookAlikes = new ArrayList<>();
        for (SceneObject o : objects) {
            lookAlikes.stream().filter(members -> members.get(0).looksLike(o)).findFirst()
                    .ifPresentOrElse(members -> members.add(o), () -> lookAlikes.add(new ArrayList<>(List.of(o))));
        }
        return lookAlikes.stream().map(members -> new Group(List.copyOf(members))).toList();
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static boolean startsPlural(String body) {
        return body.startsWith("two ") || body.startsWith("three ");
    }

    private static String article(String words) {
        return ("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ") + words;
    }

    /** Capitalised, with a full stop, as COCO captions are written. */
    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
    }
}
