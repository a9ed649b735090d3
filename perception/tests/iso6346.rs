//! ISO 6346 codes: the check digit, and reading codes out of text boxes laid out as they
//! are painted on container doors (one line, a boxed check digit, two lines, rotated), with
//! the figures painted around them as distractors.

use perception::{CodeError, ContainerCode, TextBox, read_code};

/// An axis-aligned box of text `text` with its top left at (x, y).
fn b(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextBox {
    TextBox {
        text: text.into(),
        confidence: 0.95,
        char_confidences: Vec::new(),
        quad: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
    }
}

/// The same box, read top to bottom (text painted turned 90 degrees clockwise): its reading
/// direction is +y and its "down" is -x.
fn turned(text: &str, x: f32, y: f32, len: f32, h: f32) -> TextBox {
    TextBox {
        text: text.into(),
        confidence: 0.9,
        char_confidences: Vec::new(),
        quad: [[x + h, y], [x + h, y + len], [x, y + len], [x, y]],
    }
}

/// The figures painted under a code on a door: size/type, weights, volume.
fn door_figures() -> Vec<TextBox> {
    vec![
        b("22G1", 363.0, 173.0, 65.0, 33.0),
        b("MAX.GROSS", 248.0, 285.0, 83.0, 19.0),
        b("30,480 KGS", 364.0, 285.0, 82.0, 19.0),
        b("TARE", 246.0, 318.0, 43.0, 23.0),
        b("2.220", 370.0, 319.0, 78.0, 21.0),
        b("28260", 364.0, 355.0, 86.0, 22.0),
    ]
}

#[test]
fn check_digits_of_known_codes() {
    for code in [
        "APZU3452195",
        "CSQU3054383",
        "HALU5654432",
        "MOAU6733404",
        "PCIU0041822",
    ] {
        let parsed: ContainerCode = code.parse().expect(code);
        assert_eq!(parsed.as_str(), code);
    }
    assert_eq!(
        ContainerCode::parse("APZU 345219 5").map(|c| c.to_string()),
        Ok("APZU3452195".into())
    );
    assert_eq!(ContainerCode::parse("APZU3452195").unwrap().owner(), "APZU");
}

#[test]
fn bad_codes_are_refused_naming_the_problem() {
    assert_eq!(
        ContainerCode::parse("APZU3452194"),
        Err(CodeError::CheckDigit {
            painted: 4,
            computed: 5
        })
    );
    assert_eq!(
        ContainerCode::parse("APZU345219"),
        Err(CodeError::Length(10))
    );
    assert!(matches!(
        ContainerCode::parse("APZX3452195"),
        Err(CodeError::Character {
            position: 4,
            found: 'X'
        })
    ));
    assert!(matches!(
        ContainerCode::parse("APZU34521O5"),
        Err(CodeError::Character {
            position: 10,
            found: 'O'
        })
    ));
    // a check digit of 10 is written 0
    assert!(ContainerCode::parse("CSQU3054380").is_err());
}

#[test]
fn one_line_with_a_boxed_check_digit_among_door_figures() {
    let mut boxes = vec![
        b("APZU", 264.0, 140.0, 75.0, 34.0),
        b("345219", 359.0, 140.0, 100.0, 33.0),
        b("5", 471.0, 140.0, 24.0, 28.0),
    ];
    boxes.extend(door_figures());
    let read = read_code(&boxes).expect("a code");
    assert_eq!(read.code.as_str(), "APZU3452195");
    assert_eq!(read.boxes, vec![0, 1, 2]);

    // the detector's order does not matter
    boxes.reverse();
    assert_eq!(
        read_code(&boxes).expect("a code").code.as_str(),
        "APZU3452195"
    );
}

#[test]
fn the_size_type_code_is_never_taken_for_a_missing_check_digit() {
    // the boxed check digit was not detected: 22G1 below must not complete the code
    let mut boxes = vec![
        b("BMOU", 150.0, 148.0, 95.0, 34.0),
        b("541075", 276.0, 148.0, 129.0, 31.0),
    ];
    boxes.push(b("2", 278.0, 177.0, 20.0, 36.0));
    boxes.extend(door_figures());
    // BMOU541075 + 2 fails the check digit (6): no code rather than a wrong one
    assert_eq!(read_code(&boxes), None);
}

#[test]
fn two_and_three_line_layouts() {
    let boxes = vec![
        b("HALU", 300.0, 100.0, 160.0, 60.0),
        b("5654 43 2", 300.0, 175.0, 260.0, 60.0),
        b("45G1", 300.0, 250.0, 150.0, 60.0),
    ];
    assert_eq!(
        read_code(&boxes).expect("a code").code.as_str(),
        "HALU5654432"
    );

    let boxes = vec![
        b("MOAU", 200.0, 100.0, 120.0, 40.0),
        b("673", 200.0, 150.0, 70.0, 40.0),
        b("340", 280.0, 150.0, 70.0, 40.0),
        b("4", 360.0, 150.0, 25.0, 40.0),
        b("TARE", 200.0, 260.0, 60.0, 20.0),
        b("5.120", 280.0, 150.0, 60.0, 20.0),
    ];
    assert_eq!(
        read_code(&boxes).expect("a code").code.as_str(),
        "MOAU6733404"
    );
}

#[test]
fn text_turned_a_quarter_turn_reads_along_its_own_line() {
    // painted down the image: owner code first, serial below it along the same line
    let boxes = vec![
        turned("UACU", 300.0, 100.0, 120.0, 40.0),
        turned("533352", 300.0, 240.0, 170.0, 40.0),
        turned("6", 300.0, 425.0, 25.0, 40.0),
        b("CAUTION", 100.0, 500.0, 120.0, 30.0),
    ];
    assert_eq!(
        read_code(&boxes).expect("a code").code.as_str(),
        "UACU5333526"
    );
}

#[test]
fn full_width_characters_and_spaces_are_folded() {
    let boxes = vec![b("ＢＳＩＵ ９４９５１９ ２", 100.0, 100.0, 400.0, 50.0)];
    assert_eq!(
        read_code(&boxes).expect("a code").code.as_str(),
        "BSIU9495192"
    );
}

#[test]
fn digits_far_away_or_of_another_size_are_not_part_of_the_code() {
    // a truck plate's digits far below the door
    let boxes = vec![
        b("CLHU", 100.0, 100.0, 80.0, 30.0),
        b("4575860", 100.0, 700.0, 200.0, 60.0),
    ];
    assert_eq!(read_code(&boxes), None);
    // tiny digits right after the owner code
    let boxes = vec![
        b("CLHU", 100.0, 100.0, 80.0, 30.0),
        b("4575860", 190.0, 100.0, 40.0, 6.0),
    ];
    assert_eq!(read_code(&boxes), None);
}

#[test]
fn two_different_codes_equally_near_are_not_guessed_between() {
    // the serial can be completed by either of two boxed digits at the same distance,
    // and both pass: CSQU305438 + 3 is valid; make a rival valid code from another owner
    let boxes = vec![
        b("CSQU", 100.0, 100.0, 80.0, 30.0),
        b("3054383", 200.0, 100.0, 150.0, 30.0),
        b("APZU", 100.0, 200.0, 80.0, 30.0),
        b("3452195", 200.0, 200.0, 150.0, 30.0),
    ];
    // each owner has its own serial on its line: both codes are there; the reader
    // reports none rather than one of two
    assert_eq!(read_code(&boxes), None);
}

#[test]
fn no_owner_code_no_reading() {
    assert_eq!(read_code(&door_figures()), None);
    assert_eq!(read_code(&[]), None);
}

#[test]
fn an_owner_code_alone_is_seen_as_one() {
    use perception::iso6346::has_owner_code;
    assert!(has_owner_code(&[b("BMOU", 0.0, 0.0, 90.0, 30.0)]));
    assert!(has_owner_code(&[b("TCKU 969685", 0.0, 0.0, 200.0, 30.0)]));
    assert!(!has_owner_code(&[b("UACN", 0.0, 0.0, 90.0, 30.0)]));
    assert!(!has_owner_code(&door_figures()));
}

#[test]
fn a_code_with_an_unsure_character_is_not_reported_even_if_its_check_digit_passes() {
    // YYUU6032670 passes its check digit; the painted code is YYCU6032670, whose C the
    // recogniser read as U with little confidence
    let mut code = b("YYUU6032670", 80.0, 180.0, 400.0, 40.0);
    code.char_confidences = vec![
        0.99, 0.98, 0.59, 0.97, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.94,
    ];
    assert!(ContainerCode::parse("YYUU6032670").is_ok());
    assert_eq!(read_code(std::slice::from_ref(&code)), None);
    // read surely, it is reported, with its weakest character as its confidence
    code.char_confidences[2] = 0.97;
    let read = read_code(&[code]).expect("a code");
    assert_eq!(read.code.as_str(), "YYUU6032670");
    assert!((read.confidence - 0.94).abs() < 1e-6);
}
