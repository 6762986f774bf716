#!/bin/sh
# Regenerates the sample catalog's product pictures (400x400) with the ffmpeg CLI alone: a
# soft background gradient and shaded shapes suggesting each product, drawn by `geq`.
# They are placeholders a host replaces with photos of their own harvest.
#   sh assets/images/make-images.sh
set -eu
cd "$(dirname "$0")"

S=400
# A shaded oval: 1 inside the oval at (cx,cy) with radii (rx,ry), 0 outside. $1..$4
inside() { echo "lt(hypot((X-$1)/$3,(Y-$2)/$4),1)"; }
# Light from the upper left: ~1.2 at the highlight, ~0.45 at the far rim.
shade() { echo "clip(1.25-0.55*hypot((X-$1+0.4*$3)/$3,(Y-$2+0.4*$4)/$4),0.45,1.25)"; }
# Background: a vertical gradient from colour $1 (top) to 0.8 of it (bottom).
bg() { echo "$1*(1-0.2*Y/H)"; }

# render NAME.EXT 'r-expr' 'g-expr' 'b-expr' [extra filters] [encoder options]
render() {
  out=$1; r=$2; g=$3; b=$4; extra=${5:-null}; shift 5 || shift $#
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=black:s=${S}x${S}:d=1,format=gbrp" \
    -vf "geq=r='$r':g='$g':b='$b',$extra,format=rgb24" -frames:v 1 "$@" "$out"
}

# One shaded blob over a background: blob CX CY RX RY R G B BGR BGG BGB
blob() {
  cx=$1 cy=$2 rx=$3 ry=$4
  for c in "$5:$8" "$6:$9" "$7:${10}"; do
    fg=${c%%:*}; back=${c##*:}
    printf '%s\n' "if($(inside "$cx" "$cy" "$rx" "$ry"),clip($fg*$(shade "$cx" "$cy" "$rx" "$ry"),0,255),$(bg "$back"))"
  done
}

# 冬枣 winter jujubes: three glossy ovals, green below, red-brown flushing in from the top.
jujube_channel() {  # $1 green value, $2 red-brown value, $3 background
  e=$(bg "$3")
  for j in "150 220 85 100" "270 210 80 95" "210 290 90 100"; do
    set -- "$1" "$2" "$3" $j
    cx=$4 cy=$5 rx=$6 ry=$7
    mix="($1+($2-$1)*clip(((${cy}-Y)/${ry}+0.6),0,1))"
    e="if($(inside "$cx" "$cy" "$rx" "$ry"),clip($mix*$(shade "$cx" "$cy" "$rx" "$ry"),0,255),$e)"
  done
  echo "$e"
}
render jujube.jpg "$(jujube_channel 150 150 250)" "$(jujube_channel 190 60 240)" "$(jujube_channel 70 40 215)" \
  null -q:v 4

# 猕猴桃 kiwi: a fuzzy brown oval behind a cut half: green flesh, cream core, a ring of seeds.
kiwi() {  # $1 flesh $2 core $3 seed $4 skin $5 background
  d="hypot(X-240,Y-240)/120"
  seeds="between($d,0.42,0.58)*gt(sin(atan2(Y-240,X-240)*22),0.55)"
  cut="if(lt($d,0.3),$2,if($seeds,$3,if(lt($d,0.93),$1*(1.05-0.25*$d),$4)))"
  echo "if(lt($d,1),$cut,if($(inside 130 150 110 90),clip($4*$(shade 130 150 110 90),0,255),$(bg "$5")))"
}
render kiwi.jpg "$(kiwi 120 235 30 130 245)" "$(kiwi 190 235 25 95 240)" "$(kiwi 40 190 20 55 225)" \
  "noise=alls=6:allf=t" -q:v 4

# 石榴 pomegranate: a big red sphere with a crown on top (WebP).
pomegranate() {  # $1 fruit $2 background
  crown="lt(abs(X-200),28)*between(Y,70,115)*gt(sin(X/6)+0.6,0)"
  echo "if($crown,$1*0.55,if($(inside 200 225 140 135),clip($1*$(shade 200 225 140 135),0,255),$(bg "$2")))"
}
render pomegranate.webp "$(pomegranate 205 250)" "$(pomegranate 35 235)" "$(pomegranate 45 220)" \
  null -c:v libwebp -quality 80

# 板栗仁 chestnut kernels: a heap of small golden kernels in a dark bowl (PNG).
chestnut_channel() {  # $1 kernel $2 bowl $3 background
  e="if(lt(hypot((X-200)/170,(Y-270)/95),1),$2*(0.7+0.3*(Y-175)/190),$(bg "$3"))"
  for k in "150 235" "205 225" "260 238" "120 280" "180 285" "240 285" "295 280" "210 190" "160 195" "255 195"; do
    set -- "$1" "$2" "$3" $k
    e="if($(inside "$4" "$5" 38 32),clip($1*$(shade "$4" "$5" 38 32),0,255),$e)"
  done
  echo "$e"
}
render chestnut.png "$(chestnut_channel 225 90 245)" "$(chestnut_channel 170 60 238)" "$(chestnut_channel 80 40 220)" \
  "scale=200:200,scale=400:400:flags=neighbor" -compression_level 9 -pred mixed

# 辣椒酱 chili paste: a jar of red paste, a lid and a white label, drawn with drawbox.
render chili.jpg "$(bg 255)" "$(bg 236)" "$(bg 200)" \
  "drawbox=x=110:y=120:w=180:h=220:color=0xB3200F:t=fill,drawbox=x=100:y=85:w=200:h=45:color=0x3A2A1A:t=fill,drawbox=x=110:y=190:w=180:h=80:color=0xF7F0E0:t=fill,drawbox=x=130:y=215:w=140:h=30:color=0xC62828:t=fill,drawbox=x=125:y=290:w=10:h=40:color=0xE65A3C@0.8:t=fill" \
  -q:v 4

# 番薯粉 sweet potato vermicelli: a bundle of grey-violet strands tied in the middle (WebP).
vermicelli() {  # $1 strands $2 tie $3 background
  strands="lt(hypot((X-200)/150,(Y-200)/110),1)"
  wave="(0.75+0.25*sin((Y+12*sin(X/19))/3.2))"
  echo "if(lt(abs(X-200),14)*$strands,$2,if($strands,$1*$wave,$(bg "$3")))"
}
render vermicelli.webp "$(vermicelli 150 200 245)" "$(vermicelli 135 50 240)" "$(vermicelli 160 40 228)" \
  null -c:v libwebp -quality 75

# 脐橙 navel oranges: two dimpled orange spheres and a leaf.
orange() {  # $1 fruit $2 leaf $3 background
  dimple="(0.96+0.04*sin(X/2.1+3*sin(Y/7))*sin(Y/2.3))"
  leaf="lt(hypot((X-290)/55,(Y-140)/20),1)"
  echo "if($leaf,$2,if($(inside 270 250 105 105),clip($1*$dimple*$(shade 270 250 105 105),0,255),if($(inside 150 200 110 110),clip($1*$dimple*$(shade 150 200 110 110),0,255),$(bg "$3"))))"
}
render orange.jpg "$(orange 245 60 235)" "$(orange 140 140 245)" "$(orange 20 60 250)" null -q:v 4

ls -l jujube.jpg kiwi.jpg pomegranate.webp chestnut.png chili.jpg vermicelli.webp orange.jpg
